#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "reference_series.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "relaxmon/dsp/nonlinear.hpp"
#include "test_support.hpp"

using namespace relaxmon::dsp;

TEST_CASE("Poincare, DFA, SampEn and pNN50 agree with NeuroKit2", "[dsp][nonlinear][reference]") {
    using namespace relaxmon::test;
    const auto ref_path = shared_data("reference_hrv.csv");
    if (!ref_path) return;
    const CsvTable ref = read_csv(*ref_path);
    const auto sd1 = ref.numbers("SD1_ms"), sd2 = ref.numbers("SD2_ms"),
               a1 = ref.numbers("DFA_alpha1"), a2 = ref.numbers("DFA_alpha2"),
               sampen = ref.numbers("SampEn"), nn50 = ref.numbers("NN50_count_exact_integer");
    int compared = 0;
    for (std::size_t i = 0; i < ref.rows.size(); ++i) {
        const auto it = reference_rr_series().find(ref.rows[i][0]);
        if (it == reference_rr_series().end()) continue;
        const auto path = shared_data(it->second);
        if (!path) continue;
        const auto rr = read_rr_ms(*path);
        INFO(it->first);
        const auto p = poincare(rr);
        REQUIRE(p);
        CHECK(p->sd1_ms == Approx(sd1[i]).epsilon(0.005));
        CHECK(p->sd2_ms == Approx(sd2[i]).epsilon(0.005));
        // NeuroKit2's DFA: half-overlapping boxes, alpha1 over 4-11 beats, alpha2 over 12-N/10.
        const auto d1 = dfa_alpha(rr, {4, 11, true});
        const auto d2 = dfa_alpha(rr, {12, static_cast<int>(rr.size() / 10), true});
        REQUIRE(d1);
        REQUIRE(d2);
        CHECK(*d1 == Approx(a1[i]).margin(0.02));
        CHECK(*d2 == Approx(a2[i]).margin(0.02));
        const auto se = sample_entropy(rr);
        REQUIRE(se);
        CHECK(*se == Approx(sampen[i]).epsilon(0.005));
        CHECK(hrv_time(rr)->nn50 == static_cast<std::size_t>(nn50[i]));
        ++compared;
    }
    CHECK(compared == 6);
}

TEST_CASE("DFA of white noise is 0.5, of a random walk 1.5", "[dsp][nonlinear]") {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> white, walk;
    double acc = 0;
    for (int i = 0; i < 20000; ++i) {
        white.push_back(800 + 30 * g(rng));
        walk.push_back(acc += g(rng));
    }
    CHECK(*dfa_alpha(white, {16, 64, false}) == Approx(0.5).margin(0.05));
    CHECK(*dfa_alpha(walk, {16, 64, false}) == Approx(1.5).margin(0.07));
}

TEST_CASE("sample entropy: a constant-period signal is regular, noise is not", "[dsp][nonlinear]") {
    std::vector<double> periodic;
    for (int i = 0; i < 600; ++i)
        periodic.push_back(i % 4 == 0 ? 900 : i % 4 == 1 ? 950 : i % 4 == 2 ? 900 : 850);
    const auto se_periodic = sample_entropy(periodic);
    REQUIRE(se_periodic);
    CHECK(*se_periodic < 0.05);
    std::mt19937_64 rng(9);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> noise;
    for (int i = 0; i < 3000; ++i) noise.push_back(g(rng));
    // Gaussian white noise, m = 2, r = 0.2: SampEn = -ln P(|x-y| <= 0.2*sqrt... ) ~ 2.2.
    CHECK(*sample_entropy(noise) == Approx(2.2).margin(0.15));
}

namespace {
// Sample entropy by its definition (Richman & Moorman 2000, m = 2, r = 0.2 SD): every pair of
// templates compared, -ln(A / B) as the counts; the counts too, for the message.
struct SampEnCount {
    std::uint64_t a = 0, b = 0;
    double value() const { return -std::log(double(a) / double(b)); }
};
SampEnCount sampen_by_definition(const std::vector<double>& x) {
    double mean = 0, ss = 0;
    for (double v : x) mean += v;
    mean /= x.size();
    for (double v : x) ss += (v - mean) * (v - mean);
    const double r = 0.2 * std::sqrt(ss / (x.size() - 1));
    SampEnCount c;
    for (std::size_t i = 0; i + 2 < x.size(); ++i)
        for (std::size_t j = i + 1; j + 2 < x.size(); ++j)
            if (std::abs(x[i] - x[j]) <= r && std::abs(x[i + 1] - x[j + 1]) <= r) {
                ++c.b;
                c.a += std::abs(x[i + 2] - x[j + 2]) <= r;
            }
    return c;
}
}  // namespace

TEST_CASE("sample entropy of long series equals the brute-force count", "[dsp][nonlinear]") {
    // Above a few thousand templates the O(n log^2 n) sweep takes over from the grid; both must
    // count exactly what the O(n^2) definition counts.
    std::mt19937_64 rng(11);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> x;
    double slow = 0.0;
    for (int i = 0; i < 6000; ++i) {
        slow = 0.98 * slow + g(rng);
        x.push_back(std::round(800 + 20 * slow + 15 * g(rng)));  // integer ms: ties happen
    }
    CHECK(*sample_entropy(x) == Approx(sampen_by_definition(x).value()).epsilon(1e-12));
}

TEST_CASE("sample entropy of window-length series equals the brute-force count",
          "[dsp][nonlinear]") {
    // Windows (up to 1500 templates) are counted over templates sorted by their first value; the
    // count must be the definition's exactly, ties (integer milliseconds) and all.
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 1.0);
    for (const int length : {40, 60, 333, 900, 1502}) {
        std::vector<double> x;
        double slow = 0.0;
        for (int i = 0; i < length; ++i) {
            slow = 0.95 * slow + g(rng);
            x.push_back(std::round(850 + 25 * slow + 10 * g(rng)));
        }
        const SampEnCount c = sampen_by_definition(x);
        INFO("length " << length << ": " << c.a << " of " << c.b << " pairs match on the third");
        REQUIRE(c.a > 0);
        CHECK(*sample_entropy(x) == c.value());
    }
}

namespace {
// DFA as defined (Peng et al. 1995): each box's line fitted anew, residuals about it.
double dfa_by_definition(const std::vector<double>& rr, int min_box, int max_box, bool half) {
    double mean = 0.0;
    for (double v : rr) mean += v;
    mean /= static_cast<double>(rr.size());
    std::vector<double> y(rr.size());
    double acc = 0.0;
    for (std::size_t i = 0; i < rr.size(); ++i) y[i] = acc += rr[i] - mean;
    std::vector<double> lx, ly;
    for (int n = min_box; n <= max_box && static_cast<std::size_t>(2 * n) <= y.size(); ++n) {
        const std::size_t step = half ? std::max(1, n / 2) : n;
        double total = 0.0;
        int boxes = 0;
        for (std::size_t s = 0; s + n <= y.size(); s += step, ++boxes) {
            double xm = (n - 1) / 2.0, ym = 0.0;
            for (int i = 0; i < n; ++i) ym += y[s + i] / n;
            double sxy = 0.0, sxx = 0.0, syy = 0.0;
            for (int i = 0; i < n; ++i) {
                sxy += (i - xm) * (y[s + i] - ym);
                sxx += (i - xm) * (i - xm);
                syy += (y[s + i] - ym) * (y[s + i] - ym);
            }
            total += (syy - sxy * sxy / sxx) / n;
        }
        lx.push_back(std::log(double(n)));
        ly.push_back(0.5 * std::log(total / boxes));
    }
    double mx = 0.0, my = 0.0;
    for (std::size_t i = 0; i < lx.size(); ++i) mx += lx[i] / lx.size(), my += ly[i] / ly.size();
    double sxy = 0.0, sxx = 0.0;
    for (std::size_t i = 0; i < lx.size(); ++i) {
        sxy += (lx[i] - mx) * (ly[i] - my);
        sxx += (lx[i] - mx) * (lx[i] - mx);
    }
    return sxy / sxx;
}
}  // namespace

TEST_CASE("DFA from running sums equals fitting each box anew, windows to whole days",
          "[dsp][nonlinear]") {
    // Boxes are summed from running sums within blocks; a day's profile wanders far (here a slow
    // swing of 150 ms in the mean interval), which sums from the start would lose the small
    // boxes' residuals to.
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0.0, 1.0);
    for (const std::size_t length : {std::size_t{40}, std::size_t{380}, std::size_t{100000}}) {
        std::vector<double> rr;
        double slow = 0.0;
        for (std::size_t i = 0; i < length; ++i) {
            slow = 0.999 * slow + 4.0 * g(rng);
            rr.push_back(std::round(850 + slow + 30 * std::sin(i * 0.02) + 20 * g(rng)));
        }
        for (const DfaOptions o : {DfaOptions{4, 16, false}, DfaOptions{16, 64, false},
                                   DfaOptions{4, 11, true}, DfaOptions{12, 90, true}}) {
            if (static_cast<std::size_t>(4 * o.min_box) > length) continue;
            INFO(length << " beats, boxes " << o.min_box << "-" << o.max_box);
            const double expected = dfa_by_definition(rr, o.min_box, o.max_box, o.half_overlap);
            CHECK(*dfa_alpha(rr, o) == Approx(expected).epsilon(1e-9));
        }
    }
}
