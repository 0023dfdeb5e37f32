#pragma once
// Under AddressSanitizer only: marks every shared object loaded so far as never to be unloaded.
// Mesa's GL driver (loaded by GLFW through dlopen, closed at glfwTerminate) keeps a few small
// allocations for the life of the process; once it is closed, LeakSanitizer can no longer say
// which library they came from, and .ci/lsan.supp cannot name it. Does nothing in other builds.
namespace relaxmon::ui {

void keep_libraries_loaded_for_leak_check();

}  // namespace relaxmon::ui
