#include "api/routes/iptv/answer_cache.hpp"

#include "api/gzip.hpp"

namespace switchyard::api::iptv {

CachedAnswer::CachedAnswer(std::string plain)
    : plain_(std::make_shared<const std::string>(std::move(plain))) {}

const std::shared_ptr<const std::string>& CachedAnswer::gzip() const {
    std::call_once(gzip_once_,
                   [this] { gzip_ = std::make_shared<const std::string>(core::gzip(*plain_)); });
    return gzip_;
}

HttpResponse answer_response(const HttpRequest& r, const CachedAnswer& answer,
                             std::string content_type) {
    HttpResponse resp;
    resp.content_type = std::move(content_type);
    if (accepts_gzip(r)) {
        resp.shared_body = answer.gzip();
        resp.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        resp.shared_body = answer.plain();
    }
    resp.headers.emplace_back("Vary", "Accept-Encoding");
    return resp;
}

void add_key_part(std::string& key, std::string_view part) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
}

void add_key_part(std::string& key, const std::vector<std::int64_t>& ids) {
    std::string joined;
    for (const auto id : ids) {
        joined += std::to_string(id);
        joined += ',';
    }
    add_key_part(key, joined);
}

std::shared_ptr<const CachedAnswer> AnswerCache::get(const Generation& generation,
                                                     const std::string& key,
                                                     const std::function<std::string()>& render) {
    {
        std::lock_guard lock(mu_);
        if (!(generation_ == generation)) {
            entries_.clear();
            index_.clear();
            bytes_ = 0;
            generation_ = generation;
        }
        if (auto hit = index_.find(key); hit != index_.end()) {
            entries_.splice(entries_.begin(), entries_, hit->second);
            return hit->second->answer;
        }
    }
    auto answer = std::make_shared<const CachedAnswer>(render());
    const auto size = answer->plain()->size();
    std::lock_guard lock(mu_);
    // Another request may have brought a newer generation, or rendered the same key, meanwhile.
    if (!(generation_ == generation) || size > max_bytes_ || index_.count(key)) return answer;
    while (bytes_ + size > max_bytes_ && !entries_.empty()) {
        bytes_ -= entries_.back().answer->plain()->size();
        index_.erase(entries_.back().key);
        entries_.pop_back();
    }
    entries_.push_front({key, answer});
    index_.emplace(key, entries_.begin());
    bytes_ += size;
    return answer;
}

std::size_t AnswerCache::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

}  // namespace switchyard::api::iptv
