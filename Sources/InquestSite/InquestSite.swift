import InquestCore

/// The static HTML archive. (Being built; see the site issue.)
public enum InquestSite {}
