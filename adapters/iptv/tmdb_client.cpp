#include "adapters/iptv/tmdb_client.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/json.hpp>

#include "adapters/hotspot/rest_client.hpp"

namespace switchyard::adapters::iptv {

namespace json = boost::json;
using hotspot::url_escape;

namespace {

std::string text(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                    : std::string();
}
std::int64_t integer(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end()) return 0;
    if (it->value().is_int64()) return it->value().as_int64();
    if (it->value().is_uint64()) return static_cast<std::int64_t>(it->value().as_uint64());
    return 0;
}
double number(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_number()) return 0;
    return it->value().to_number<double>();
}

class TmdbClient final : public MetadataClient {
  public:
    explicit TmdbClient(TmdbOptions o) : o_(std::move(o)) {
        while (!o_.base_url.empty() && o_.base_url.back() == '/') o_.base_url.pop_back();
    }

    core::Result<MovieMetadata> movie(std::int64_t tmdb_id) override {
        const auto o = SY_TRY(get(fmt::format("/movie/{}", tmdb_id), ""));
        MovieMetadata m;
        m.tmdb_id = integer(o, "id");
        m.title = text(o, "title");
        m.original_title = text(o, "original_title");
        m.overview = text(o, "overview");
        m.release_date = text(o, "release_date");
        m.imdb_id = text(o, "imdb_id");
        m.runtime_min = integer(o, "runtime");
        if (integer(o, "vote_count") > 0)
            m.rating = fmt::format("{:.1f}", number(o, "vote_average"));
        if (auto it = o.find("genres"); it != o.end() && it->value().is_array())
            for (const auto& g : it->value().as_array())
                if (g.is_object()) m.genres.push_back(text(g.as_object(), "name"));
        m.poster_url = image(o_.poster_size, text(o, "poster_path"));
        m.backdrop_url = image(o_.backdrop_size, text(o, "backdrop_path"));
        if (m.tmdb_id == 0 || m.title.empty())
            return core::fail(core::Errc::Invalid, "tmdb", "the answer names no movie");
        return m;
    }

    core::Result<std::vector<MovieMatch>> search_movie(std::string_view title,
                                                       std::optional<int> year) override {
        auto query = "&query=" + url_escape(title);
        if (year) query += fmt::format("&year={}", *year);
        const auto o = SY_TRY(get("/search/movie", query));
        std::vector<MovieMatch> out;
        auto it = o.find("results");
        if (it == o.end() || !it->value().is_array())
            return core::fail(core::Errc::Invalid, "tmdb", "the answer has no results list");
        for (const auto& r : it->value().as_array()) {
            if (!r.is_object()) continue;
            const auto& ro = r.as_object();
            out.push_back({integer(ro, "id"), text(ro, "title"), text(ro, "release_date")});
        }
        return out;
    }

  private:
    std::string image(const std::string& size, const std::string& path) const {
        return path.empty() ? std::string() : o_.image_base_url + size + path;
    }

    /// GET `<base><path>?api_key=&language=<query>` as a JSON object.
    core::Result<json::object> get(const std::string& path, const std::string& query) {
        hotspot::RestRequest req;
        req.url = fmt::format("{}{}?api_key={}&language={}{}", o_.base_url, path,
                              url_escape(o_.api_key), url_escape(o_.language), query);
        req.headers = {"Accept: application/json"};
        req.timeout_ms = o_.timeout_ms;
        const auto resp = SY_TRY(hotspot::rest_call(req));
        if (resp.status < 200 || resp.status > 299) {
            // The key is in the URL: name the path only.
            auto shown = req;
            shown.url = o_.base_url + path;
            return tl::unexpected(hotspot::http_error("TMDB", shown, resp));
        }
        boost::system::error_code ec;
        auto v = json::parse(resp.body, ec);
        if (ec || !v.is_object())
            return core::fail(core::Errc::Invalid, "tmdb", "the answer is not a JSON object");
        return std::move(v.as_object());
    }

    TmdbOptions o_;
};

}  // namespace

std::unique_ptr<MetadataClient> make_tmdb_client(TmdbOptions options) {
    return std::make_unique<TmdbClient>(std::move(options));
}

core::iptv::MovieFields with_metadata(core::iptv::MovieFields f, const MovieMetadata& m) {
    if (f.tmdb_id.empty() && m.tmdb_id > 0) f.tmdb_id = std::to_string(m.tmdb_id);
    if (f.plot.empty()) f.plot = m.overview;
    if (f.genre.empty()) f.genre = fmt::format("{}", fmt::join(m.genres, " / "));
    if (f.release_date.empty()) f.release_date = m.release_date;
    if (f.duration_secs == 0) f.duration_secs = m.runtime_min * 60;
    if (f.rating.empty()) f.rating = m.rating;
    if (f.cover.empty()) f.cover = m.poster_url;
    if (f.backdrop_path.empty() && !m.backdrop_url.empty()) f.backdrop_path = {m.backdrop_url};
    return f;
}

}  // namespace switchyard::adapters::iptv
