INQUEST_SEARCH.doc(0,{"u":"postmortems/untitled-draft.html","t":"Draft without a date","d":"","s":"SEV4","st":"Draft","sv":["web"],"c":[],"p":["To be written."]});
