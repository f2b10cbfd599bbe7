#pragma once
/// The CDRTool rate deck (AG Projects CDRTool, `setup/csv/*.csv`; semantics in its
/// `doc/RATING.txt` and `library/rating.php`): four CSV files read into one tariff version.
///
/// - destinations.csv `Ops,Reseller,Trusted peer,Domain,Subscriber,Destination,Region,
///   Description,Incr,Min Dur,Max Dur,Max Price`: each prefix becomes a Destination (id = the
///   prefix, name = Description). `Incr` is the billing increment in seconds (0 = per second),
///   `Min Dur` the minimum billed seconds, `Max Dur` (0 = none) and `Max Price` (empty or 0 =
///   none, in 1/10,000 of the currency like the prices) are caps.
/// - rates.csv `Ops,Reseller,Rate,Destination,App,Connect,Duration,Conn In,Duration In`: each
///   rate name x destination becomes a RateGroup `<rate>:<prefix>` with one interval from 0 s,
///   `Duration` per 60 s and `Connect` once, both integers in 1/10,000 of the currency
///   (CDRTool `priceDenominator` 10000, `durationPeriodRated` 60): 999 = 0.0999 = 99'900
///   micros; and a DestinationRate row of id `<rate>` (rounding `*middle` to 4 decimals, as
///   CDRTool's `priceDecimalDigits`; Max Price as MaxCost `*free`).
/// - profiles.csv `Ops,Reseller,Profile Id,Rate Id1,00-H1,Rate Id2,H1-H2,Rate Id3,H2-H3,Rate
///   Id4,H3-24`: a day split into up to 4 hour ranges, range k from the previous hour (0 first)
///   to `Hk`, rated with `Rate Idk`. Each range becomes two Timings, weekdays (Monday-Friday)
///   `<profile>:wd:<k>` and weekend `<profile>:we:<k>`, with start_s and end_s.
/// - customers.csv `Ops,Reseller,Trusted Peer,Domain,Subscriber,Profile WD,Fallback,Profile
///   WE,Fallback,Timezone,Incr,Min Dur`: each customer becomes a RatingProfile whose subject is
///   the subscriber, else the domain, else the trusted peer, else `*any` (the default row);
///   its rating plan `<WD profile>` (or `<WD>+<WE>` when they differ) holds the weekday ranges
///   of the WD profile and the weekend ranges of the WE profile. A customer with fallback
///   profiles gets a second profile, subject `<subject>#fallback`, named in fallback_subjects.
///   Timezone, Incr and Min Dur of customers.csv are not carried (the deck's are all default).
///
/// `Ops` 1 and 2 import the row, 3 (delete) skips it. Holidays and CDRTool's `default` rate
/// are not modelled. Customer-scoped destinations and rates (peer/domain/subscriber columns
/// set) are refused row by row.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/parsed_deck.hpp"

namespace switchyard::core::voice {

/// The texts of the four CDRTool files and the names errors use for them. `profiles` and
/// `customers` may be empty: without profiles every rate name is a rating plan of its own,
/// valid at any time (timing `*any`); without customers every plan gets a `*any` profile.
struct CdrtoolDeckFiles {
    std::string_view destinations;
    std::string_view rates;
    std::string_view profiles;
    std::string_view customers;
    std::string destinations_name = "destinations.csv";
    std::string rates_name = "rates.csv";
    std::string profiles_name = "profiles.csv";
    std::string customers_name = "customers.csv";
};

/// Where the rating profiles of the deck apply. Default: tenant `default`, category `call`,
/// currency `EUR`, activation at the Unix epoch.
struct CdrtoolDeckOptions {
    std::string tenant = "default";
    std::string category = "call";
    std::string currency = "EUR";
    Timestamp activation_time{};
};

/// Reads a CDRTool deck into a tariff. Row errors (a rate whose destination is missing or
/// unknown, a non-integer price, a duplicate prefix, an unknown profile...) are reported with
/// file, line and reason and the row is left out.
/// @errors Invalid with field = the file name when a file lacks one of its columns or the
/// destinations or rates file is empty.
Result<ParsedDeck> parse_cdrtool_deck(const CdrtoolDeckFiles& files,
                                      const CdrtoolDeckOptions& options = {});

}  // namespace switchyard::core::voice
