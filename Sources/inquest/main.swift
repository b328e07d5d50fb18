import ArgumentParser

Inquest.main()
