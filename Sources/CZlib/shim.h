#ifndef INQUEST_CZLIB_SHIM_H
#define INQUEST_CZLIB_SHIM_H
#include <zlib.h>
#endif
