#pragma once
// The RR series of ../shared/data that reference_hrv*.csv describe: series id -> file (relative
// to the data folder). Shared by the agreement tests and the validation report.
#include <map>
#include <string>

namespace relaxmon::test {

inline const std::map<std::string, std::string>& reference_rr_series() {
    static const std::map<std::string, std::string> series{
        {"mitdb100_NN_475-775s", "rr/mitdb100_NN_475-775s.csv"},
        {"nsr001_NN_300-600s", "rr/nsr2db/nsr001_NN_300-600s.csv"},
        {"nsr004_NN_0-300s", "rr/nsr2db/nsr004_NN_0-300s.csv"},
        {"hrvanalysis_test_nn_intervals", "rr/hrvanalysis_test_nn_intervals.txt"},
        {"pyhrv_SampleNNISeriesShort", "rr/pyhrv_SampleNNISeriesShort.csv"},
        {"detectPVC_polar_h10_rr", "polar_h10/detectPVC_polar_h10_rr.csv"}};
    return series;
}

}  // namespace relaxmon::test
