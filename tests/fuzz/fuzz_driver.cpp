// Runs a libFuzzer target without libFuzzer (g++ builds): every seed file given on the command
// line, then a fixed number of deterministic mutations of them (bit flips, byte insertions,
// deletions, splices). Under ASan+UBSan a crash fails the ctest. With clang, build the same
// targets with -fsanitize=fuzzer for coverage-guided fuzzing (tests/README.md).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> seeds;
    long iterations = 20000;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--iterations=", 0) == 0) {
            iterations = std::stol(arg.substr(13));
            continue;
        }
        std::ifstream in(arg, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        seeds.push_back(ss.str());
    }
    if (seeds.empty()) seeds.push_back("");
    auto run = [](const std::string& s) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    };
    for (const auto& s : seeds) run(s);
    std::mt19937_64 rng(12345);
    for (long i = 0; i < iterations; ++i) {
        std::string s = seeds[rng() % seeds.size()];
        if (s.size() > 4096) s = s.substr(rng() % (s.size() - 4096), 4096);
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < edits; ++k) {
            const auto pos = s.empty() ? 0 : rng() % s.size();
            switch (rng() % 5) {
                case 0:
                    if (!s.empty()) s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8)));
                    break;
                case 1:
                    s.insert(pos, 1, static_cast<char>(rng() % 256));
                    break;
                case 2:
                    if (!s.empty()) s.erase(pos, 1 + rng() % 16);
                    break;
                case 3:
                    s.insert(pos, "\"#EXTINF:-1 ,{}[]\\\n\r", rng() % 20);
                    break;
                default: {
                    const auto& other = seeds[rng() % seeds.size()];
                    if (!other.empty())
                        s.insert(pos, other.substr(rng() % other.size(), 1 + rng() % 64));
                }
            }
        }
        run(s);
    }
    std::printf("%zu seeds, %ld mutations: no crash\n", seeds.size(), iterations);
    return 0;
}
