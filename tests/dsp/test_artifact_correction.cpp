// Artifact detection after Lipponen & Tarvainen (2019), measured as the paper does: known
// artifacts injected into clean RR series, sensitivity per class and specificity over the rest.
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "artifact_injection.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "test_support.hpp"

using namespace relaxmon::dsp;

using relaxmon::test::Injected;
using relaxmon::test::Injection;

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
    relaxmon::test::DetectionScore score;
    for (int repeat = 0; repeat < 20; ++repeat)
        for (const auto& clean : series) {
            const Injection inj = relaxmon::test::inject_artifacts(clean, rng, 25);
            relaxmon::test::score_detection(inj, detect_artifacts_auto(inj.rr), score);
        }
    const auto& found = score.found;
    const auto& total = score.total;
    const auto& right_class = score.right_class;
    const long false_flags = score.false_flags, clean_beats = score.clean_beats;
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
    const Injection inj = relaxmon::test::inject_artifacts(clean, rng, 30);
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
