#include "keep_loaded.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <dlfcn.h>
#include <link.h>

#include <cstring>
#endif

namespace relaxmon::ui {

void keep_libraries_loaded_for_leak_check() {
#if defined(__SANITIZE_ADDRESS__)
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void*) {
            // RTLD_NOLOAD: only the object already there, now with RTLD_NODELETE.
            if (info->dlpi_name && std::strchr(info->dlpi_name, '/'))
                dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
            return 0;
        },
        nullptr);
#endif
}

}  // namespace relaxmon::ui
