// Declarations only (see include/CFuzzDriver.h); SwiftPM wants one source file per C target.
#include "CFuzzDriver.h"
