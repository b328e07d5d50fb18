import Foundation
import InquestCLI

// Everything, including the error → exit-code mapping, lives in InquestCLI (tested in-process).
exit(InquestCLI.main())
