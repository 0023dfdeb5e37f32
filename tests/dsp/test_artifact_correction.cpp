// Artifact detection after Lipponen & Tarvainen (2019), measured as the paper does: known
// artifacts injected into clean RR series, sensitivity per class and specificity over the rest.
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "test_support.hpp"

using namespace relaxmon::dsp;

namespace {

enum class Injected { ectopic, missed, extra };

struct Injection {
    std::vector<double> rr;
    std::vector<std::pair<std::size_t, Injected>> events;  // index in the new series
};

Injection inject(const std::vector<double>& clean, std::mt19937_64& rng, int spacing) {
    Injection out;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t next = 20;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        if (i == next && i + 2 < clean.size() - 20) {
            const int kind = static_cast<int>(u(rng) * 3.0);
            if (kind == 0) {  // premature beat with full compensatory pause
                const double p = 0.6 + 0.25 * u(rng);  // 15-40% premature
                out.events.push_back({out.rr.size(), Injected::ectopic});
                out.rr.push_back(p * clean[i]);
                out.rr.push_back(clean[i + 1] + (1.0 - p) * clean[i]);
                ++i;
            } else if (kind == 1) {  // a missed R peak: two intervals read as one
                out.events.push_back({out.rr.size(), Injected::missed});
                out.rr.push_back(clean[i] + clean[i + 1]);
                ++i;
            } else {  // a spurious detection splits an interval
                const double f = 0.2 + 0.3 * u(rng);
                out.events.push_back({out.rr.size(), Injected::extra});
                out.rr.push_back(f * clean[i]);
                out.rr.push_back((1.0 - f) * clean[i]);
            }
            next =
                i + static_cast<std::size_t>(spacing) + static_cast<std::size_t>(u(rng) * spacing);
            continue;
        }
        out.rr.push_back(clean[i]);
    }
    return out;
}

}  // namespace

TEST_CASE("Lipponen-Tarvainen detection: sensitivity per class and specificity",
          "[dsp][artifacts][reference]") {
    using namespace relaxmon::test;
    std::vector<std::vector<double>> series;
    for (const char* f : {"rr/nsr2db/nsr001_NN_300-600s.csv", "rr/nsr2db/nsr004_NN_0-300s.csv",
                          "rr/mitdb100_NN_475-775s.csv", "rr/hrvanalysis_test_nn_intervals.txt",
                          "rr/pyhrv_SampleNNISeriesShort.csv"})
        if (auto p = shared_data(f)) series.push_back(read_rr_ms(*p));
    if (series.empty()) return;

    std::mt19937_64 rng(2019);
    int found[3] = {0, 0, 0}, total[3] = {0, 0, 0}, right_class[3] = {0, 0, 0};
    long clean_beats = 0, false_flags = 0;
    for (int repeat = 0; repeat < 20; ++repeat) {
        for (const auto& clean : series) {
            const Injection inj = inject(clean, rng, 25);
            const auto cls = detect_artifacts_auto(inj.rr);
            std::set<std::size_t> artifact_beats;
            for (auto [idx, kind] : inj.events) {
                const int k = static_cast<int>(kind);
                ++total[k];
                // The injected beats: the pair for ectopic/extra, the merged one for missed.
                const std::size_t span = kind == Injected::missed ? 1 : 2;
                bool any = false, exact = false;
                for (std::size_t j = idx; j < idx + span; ++j) {
                    artifact_beats.insert(j);
                    any |= cls[j] != ArtifactClass::none;
                    exact |= (kind == Injected::ectopic && cls[j] == ArtifactClass::ectopic) ||
                             (kind == Injected::missed && cls[j] == ArtifactClass::missed) ||
                             (kind == Injected::extra && cls[j] == ArtifactClass::extra);
                }
                found[k] += any;
                right_class[k] += exact;
            }
            for (std::size_t j = 0; j < cls.size(); ++j) {
                if (artifact_beats.count(j) || (j > 0 && artifact_beats.count(j - 1))) continue;
                ++clean_beats;
                false_flags += cls[j] != ArtifactClass::none;
            }
        }
    }
    const char* names[3] = {"ectopic", "missed", "extra"};
    for (int k = 0; k < 3; ++k) {
        std::printf("artifact detection  %-8s sensitivity %5.1f%% (%d/%d), class right %5.1f%%\n",
                    names[k], 100.0 * found[k] / total[k], found[k], total[k],
                    100.0 * right_class[k] / total[k]);
    }
    const double specificity = 1.0 - double(false_flags) / double(clean_beats);
    std::printf("artifact detection  specificity %.2f%% (%ld false of %ld clean beats)\n",
                100.0 * specificity, false_flags, clean_beats);
    CHECK(found[1] == total[1]);                 // missed: 100%
    CHECK(found[2] == total[2]);                 // extra: 100%
    CHECK(double(found[0]) / total[0] >= 0.95);  // ectopic: ~97% published
    CHECK(specificity >= 0.997);
}

TEST_CASE("correction restores the clean series' RMSSD", "[dsp][artifacts][reference]") {
    using namespace relaxmon::test;
    const auto path = shared_data("rr/nsr2db/nsr004_NN_0-300s.csv");
    if (!path) return;
    const auto clean = read_rr_ms(*path);
    std::mt19937_64 rng(7);
    const Injection inj = inject(clean, rng, 30);
    std::vector<double> t;
    double acc = 0;
    for (double x : inj.rr) t.push_back(acc += x / 1000.0);
    const auto cls = detect_artifacts_auto(inj.rr);
    const CorrectedRr fixed = correct_artifacts(t, inj.rr, cls);
    const double before = *hrv_time(inj.rr)->rmssd_ms, after = *hrv_time(fixed.rr_ms)->rmssd_ms,
                 truth = *hrv_time(clean)->rmssd_ms;
    INFO("RMSSD clean " << truth << ", with artifacts " << before << ", corrected " << after);
    CHECK(before > 2.0 * truth);
    CHECK(after == Approx(truth).epsilon(0.15));
    CHECK(fixed.rr_ms.size() == Approx(double(clean.size())).margin(clean.size() * 0.01));
    // Total time is preserved (ectopic pairs share their sum; isolated artifacts take the median).
    double sum_in = 0, sum_out = 0;
    for (double x : inj.rr) sum_in += x;
    for (double x : fixed.rr_ms) sum_out += x;
    CHECK(sum_out == Approx(sum_in).epsilon(0.005));
}
