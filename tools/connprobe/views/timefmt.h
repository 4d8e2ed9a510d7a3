/* SPDX-License-Identifier: GPL-2.0 */
/* In format.h now; row.h includes this until it includes format.h. */
#include "format.h"
