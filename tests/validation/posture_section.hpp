#pragma once
// docs/validation.md, issue 19: posture and movement from the chest on simulated sessions with a
// turnover, and what the turn does to the relaxation detector.
namespace relaxmon::validation {

void posture_section();

}  // namespace relaxmon::validation
