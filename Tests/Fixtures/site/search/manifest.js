INQUEST_SEARCH.manifest({"version":1,"n":4,"shards":1,"avgdl":52,"len":[3,13,6,1]});
