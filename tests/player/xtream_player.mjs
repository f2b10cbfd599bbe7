// A player's session against an Xtream Codes panel, through the npm client @iptv/xtream-api
// (its default serializer: the panel's answers as sent, plus the play URLs the client builds).
//   node xtream_player.mjs '{"url":..., "username":..., "password":..., "epg_channel_id":...,
//                            "movie":..., "series":..., "epg_limit":4}'
// Prints one JSON object: what the player saw (counts, the named movie and series, the short
// EPG of the stream carrying epg_channel_id with titles and descriptions base64-decoded).
// Exits non-zero with the error on stderr when the client throws (a shape it cannot read).
import { Xtream } from '@iptv/xtream-api';

const want = JSON.parse(process.argv[2]);
const xtream = new Xtream({ url: want.url, username: want.username, password: want.password });

const text = (b64) => Buffer.from(b64 ?? '', 'base64').toString('utf8');

const profile = await xtream.getProfile();
const server = await xtream.getServerInfo();

const liveCategories = await xtream.getChannelCategories();
const channels = await xtream.getChannels();
const movieCategories = await xtream.getMovieCategories();
const movies = await xtream.getMovies();
const showCategories = await xtream.getShowCategories();
const shows = await xtream.getShows();

const categoryName = (list, id) => list.find((c) => String(c.category_id) === String(id))?.category_name ?? null;

// The movie the test names, opened as a player opens it.
const listedMovie = movies.find((m) => m.name === want.movie);
const movie = listedMovie ? await xtream.getMovie({ movieId: listedMovie.stream_id }) : null;

// The series the test names: its seasons and episodes.
const listedShow = shows.find((s) => s.name === want.series);
const show = listedShow ? await xtream.getShow({ showId: listedShow.series_id }) : null;

// The guide of the channel carrying the test's guide channel id.
const channel = channels.find((c) => c.epg_channel_id === want.epg_channel_id);
const epg = channel
  ? await xtream.getShortEPG({ channelId: channel.stream_id, limit: want.epg_limit ?? 4 })
  : null;

const out = {
  profile: {
    auth: profile.auth,
    username: profile.username,
    status: profile.status,
    max_connections: profile.max_connections,
    allowed_output_formats: profile.allowed_output_formats,
  },
  server: { timezone: server.timezone, port: server.port, timestamp_now: server.timestamp_now },
  live: {
    categories: liveCategories.map((c) => c.category_name),
    streams: channels.length,
    names: channels.map((c) => c.name),
    first_url: channels[0]?.url ?? null,
  },
  vod: {
    categories: movieCategories.map((c) => c.category_name),
    // [name, container_extension, stream_icon, category name, rating] for each movie
    streams: movies.map((m) => [
      m.name,
      m.container_extension,
      m.stream_icon,
      categoryName(movieCategories, m.category_id) ?? '',
      m.rating,
    ]),
    count: movies.length,
    movie: movie && {
      stream_id: listedMovie.stream_id,
      name: movie.info.name,
      movie_image: movie.info.movie_image,
      container_extension: movie.movie_data.container_extension,
      data_name: movie.movie_data.name,
      category: categoryName(movieCategories, movie.movie_data.category_id),
      url: movie.url,
    },
  },
  series: {
    categories: showCategories.map((c) => c.category_name),
    // [name, cover, plot, genre, category name] for each series
    shows: shows.map((s) => [s.name, s.cover, s.plot, s.genre, categoryName(showCategories, s.category_id) ?? '']),
    count: shows.length,
    show: show && {
      series_id: listedShow.series_id,
      name: show.info.name,
      cover: show.info.cover,
      seasons: show.seasons.map((s) => ({
        season_number: s.season_number,
        name: s.name,
        episode_count: s.episode_count,
      })),
      episodes: Object.fromEntries(
        Object.entries(show.episodes).map(([season, list]) => [
          season,
          list.map((e) => ({
            id: e.id,
            title: e.title,
            episode_num: e.episode_num,
            season: e.season,
            container_extension: e.container_extension,
            duration_secs: e.info?.duration_secs ?? null,
            url: e.url,
          })),
        ]),
      ),
    },
  },
  epg: epg && {
    stream_id: channel.stream_id,
    listings: epg.epg_listings.map((l) => ({
      channel_id: l.channel_id,
      title: text(l.title),
      description: text(l.description),
      start_timestamp: Number(l.start_timestamp),
      stop_timestamp: Number(l.stop_timestamp),
      start: l.start,
      end: l.end,
    })),
  },
};
process.stdout.write(JSON.stringify(out) + '\n');
