#include "cli/json_text.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace relaxmon::cli {

namespace {

constexpr int kIndent = 2;
constexpr std::size_t kParallelAbove = 64;  // array elements

// `dump(2)` of a value nested `depth` levels deep: each of its lines but the first indented more.
std::string nested_dump(const nlohmann::json& v, int depth) {
    std::string text = v.dump(kIndent);
    const std::string pad(static_cast<std::size_t>(depth * kIndent), ' ');
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        out += c;
        if (c == '\n') out += pad;  // raw newlines are layout only: strings hold them escaped
    }
    return out;
}

// An array one level deep, its elements formatted on up to `threads` threads.
std::string nested_array(const nlohmann::json& a, unsigned threads) {
    std::vector<std::string> parts(a.size());
    const std::size_t workers = std::clamp<std::size_t>(threads, 1, a.size());
    {
        std::vector<std::jthread> pool;
        for (std::size_t w = 0; w < workers; ++w)
            pool.emplace_back([&, w] {
                for (std::size_t i = w; i < a.size(); i += workers) parts[i] = nested_dump(a[i], 2);
            });
    }
    const std::string pad2(2 * kIndent, ' '), pad1(kIndent, ' ');
    std::string out = "[\n";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += pad2;
        out += parts[i];
        out += i + 1 < parts.size() ? ",\n" : "\n";
    }
    out += pad1;
    out += ']';
    return out;
}

}  // namespace

std::string dump_indented(const nlohmann::json& j, unsigned threads) {
    if (!j.is_object() || j.empty() || threads <= 1) return j.dump(kIndent);
    std::string out = "{\n";
    std::size_t left = j.size();
    for (const auto& [key, value] : j.items()) {
        out += std::string(kIndent, ' ');
        out += nlohmann::json(key).dump();
        out += ": ";
        out += value.is_array() && value.size() > kParallelAbove ? nested_array(value, threads)
                                                                 : nested_dump(value, 1);
        out += --left > 0 ? ",\n" : "\n";
    }
    out += '}';
    return out;
}

}  // namespace relaxmon::cli
