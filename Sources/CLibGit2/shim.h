#ifndef INQUEST_CLIBGIT2_SHIM_H
#define INQUEST_CLIBGIT2_SHIM_H
#include <git2.h>
#endif
