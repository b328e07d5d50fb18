INQUEST_SEARCH.manifest({"version":1,"n":4,"shards":1,"avgdl":52,"len":[1,6,13,3]});
