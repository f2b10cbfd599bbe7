#include "events/vpn/vpn_config.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "events/vpn/vpn_json.hpp"

namespace switchyard::events::vpn {

using namespace core::vpn;

core::Result<ClassificationRules> parse_classification_rules(const std::string& json) {
    auto rules = SY_TRY(with_json_object(json, [](const JsonObject& o) {
        ClassificationRules r;
        r.fallback_type = o.str("fallback_type");
        if (o.has("weights")) {
            auto w = o.obj("weights");
            r.declared_weight = static_cast<int>(w.i64("declared"));
            r.oui_vendor_weight = static_cast<int>(w.i64("oui_vendor"));
            r.port_weight = static_cast<int>(w.i64("port"));
            r.hostname_weight = static_cast<int>(w.i64("hostname"));
            r.reported_vendor_weight = static_cast<int>(w.i64("reported_vendor"));
        }
        for (const auto& t : o.obj_list("types")) {
            DeviceType d;
            d.type = t.str("type");
            if (!parse_device_category(t.str("category"), d.category)) throw FieldError{"category"};
            d.high_bandwidth = t.boolean("high_bandwidth");
            d.label = t.str("label");
            d.needs = t.opt_str("needs");
            if (t.has("aliases")) d.aliases = t.str_list("aliases");
            r.types.push_back(std::move(d));
        }
        auto hints = [&](const char* key) {
            std::vector<Hint> out;
            if (!o.has(key)) return out;
            for (const auto& h : o.obj_list(key)) out.push_back({h.str("match"), h.str("type")});
            return out;
        };
        r.vendor_hints = hints("vendor_hints");
        r.port_hints = hints("port_hints");
        r.hostname_hints = hints("hostname_hints");
        return r;
    }));
    if (auto problem = validate_rules(rules); !problem.empty()) {
        const auto colon = problem.find(':');
        return core::fail(core::Errc::Invalid, problem.substr(0, colon),
                          colon == std::string::npos ? problem : problem.substr(colon + 2));
    }
    return rules;
}

core::Result<std::vector<Plan>> parse_plans(const std::string& json) {
    return with_json_object(json, [](const JsonObject& o) {
        std::vector<Plan> out;
        for (const auto& p : o.obj_list("plans")) out.push_back(get_plan(p));
        return out;
    });
}

core::Result<std::pair<std::vector<PortForwardTemplate>, std::vector<RefusedTemplate>>>
parse_port_forward_templates(const std::string& json) {
    auto all = SY_TRY(with_json_object(json, [](const JsonObject& o) {
        std::vector<PortForwardTemplate> out;
        for (const auto& t : o.obj_list("templates")) {
            PortForwardTemplate pt;
            pt.template_id = t.str("template_id");
            pt.name = t.str("name");
            for (const auto& p : t.obj_list("ports")) {
                ForwardSpec f;
                f.local_port = p.i64("local");
                f.external_port = p.opt_i64("external");
                if (!parse_forward_protocol(p.str("protocol"), f.protocol))
                    throw FieldError{"protocol"};
                f.description = p.opt_str("description");
                pt.ports.push_back(std::move(f));
            }
            out.push_back(std::move(pt));
        }
        return out;
    }));
    std::pair<std::vector<PortForwardTemplate>, std::vector<RefusedTemplate>> out;
    for (auto& t : all) {
        if (auto e = validate_template(t)) {
            out.second.push_back({t.template_id, t.name, *e});
        } else {
            out.first.push_back(std::move(t));
        }
    }
    return out;
}

namespace {

std::optional<std::string> slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

core::Result<std::string> read_config(const std::string& path) {
    auto text = slurp(path);
    if (!text) return core::fail(core::Errc::Unavailable, path, "cannot be read");
    return *text;
}

/// Prefixes an error's field with the file it came from.
template <class T>
core::Result<T> in_file(core::Result<T> r, const std::string& file) {
    if (!r) {
        auto e = r.error();
        e.field = file + ": " + e.field;
        return core::fail(std::move(e));
    }
    return r;
}

}  // namespace

core::Result<VpnConfig> load_vpn_config(const std::string& config_dir,
                                        const std::string& ieee_dir) {
    VpnConfig c;
    const auto types = config_dir + "/device_types.json";
    c.rules = SY_TRY(in_file(parse_classification_rules(SY_TRY(read_config(types))), types));
    const auto plans = config_dir + "/plans.json";
    c.default_plans = SY_TRY(in_file(parse_plans(SY_TRY(read_config(plans))), plans));
    const auto templates = config_dir + "/port_forward_templates.json";
    auto t =
        SY_TRY(in_file(parse_port_forward_templates(SY_TRY(read_config(templates))), templates));
    c.templates = std::move(t.first);
    c.refused_templates = std::move(t.second);
    for (const char* file : {"oui.txt", "mam.txt", "oui36.txt"})
        if (auto text = slurp(ieee_dir + "/" + file)) c.oui.add_text(*text);
    return c;
}

}  // namespace switchyard::events::vpn
