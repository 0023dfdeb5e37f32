#pragma once
// ConfirmDialog: one question before something that cannot be taken back (ending a session that
// holds a client's data, replacing a baseline in use). Enter or the first button says yes, Esc or
// the second no; while it is open the dashboard's single keys are off.
#include <functional>
#include <string>

namespace relaxmon::ui {

struct Question {
    std::string title;  // also the window's name: "End this session?"
    std::string text;   // what happens, in one or two sentences
    std::string yes = "Yes (Enter)", no = "Cancel (Esc)";
    std::function<void()> on_yes;
};

class ConfirmDialog {
  public:
    void ask(Question q);
    bool open() const { return open_; }
    // Draws the question while open; runs its on_yes when the answer is yes.
    void draw();

  private:
    Question q_;
    bool open_ = false;
};

}  // namespace relaxmon::ui
