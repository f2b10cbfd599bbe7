-- wrk script for bench/hls_viewers.sh: every connection plays like an HLS player, alternating
-- "fetch the playlist" and "fetch the newest segment it lists", with an optional pause before
-- each request (a player at the live edge fetches one playlist and one segment per segment
-- duration). wrk's Lua cannot tell its connections apart, so each thread keeps a ring of
-- virtual viewers (one per connection on average) and takes the next one for every request.
--
-- Environment:
--   HLS_PLAYLIST  path of the playlist; a %d in it is replaced by the viewer number (1-based),
--                 e.g. /live/viewer%d/PASSWORD/1.m3u8 (one line per viewer) or /1/index.m3u8
--   HLS_UA        User-Agent prefix; the viewer number is appended (default hls-viewer-)
--   HLS_VIEWERS   viewers in all (the connection count)
--   HLS_PACE_MS   mean pause before each request, ms (0: no pause; the actual pause is drawn
--                 uniformly from 0.5x to 1.5x so that viewers do not move in lockstep)
-- The segment fetched is the last one of the newest playlist this thread has read; a relative
-- segment name is resolved against the playlist's directory. For Switchyard the segment URL
-- is the session URL /hls/<token>/seg_NNNNN.ts from that playlist.
-- done() prints one line "RESULT key=value ..." that the shell script parses.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local playlist_tmpl, ua_prefix, viewers, pace_ms
local first, count, next_viewer, want_playlist
local last_segment
codes = {}
playlists, segments, no_segment = 0, 0, 0

function init(args)
  playlist_tmpl = os.getenv("HLS_PLAYLIST") or "/1/index.m3u8"
  ua_prefix = os.getenv("HLS_UA") or "hls-viewer-"
  viewers = tonumber(os.getenv("HLS_VIEWERS") or "1")
  pace_ms = tonumber(os.getenv("HLS_PACE_MS") or "0")
  local per = math.ceil(viewers / thread_count_hint())
  first = tid * per + 1
  count = math.max(1, math.min(per, viewers - tid * per))
  next_viewer = 0
  want_playlist = {}
  math.randomseed(os.time() + tid * 7919)
end

-- wrk sets "tid" in the thread's global table before init(); the thread count is only known
-- to the main script, so it comes through the environment.
function thread_count_hint()
  return tonumber(os.getenv("HLS_THREADS") or "1")
end

local function playlist_path(k)
  if playlist_tmpl:find("%%d") then return playlist_tmpl:format(k) end
  return playlist_tmpl
end

function delay()
  if pace_ms <= 0 then return 0 end
  return math.floor(pace_ms * (0.5 + math.random()))
end

function request()
  local i = next_viewer
  next_viewer = (next_viewer + 1) % count
  local k = first + i
  local headers = { ["User-Agent"] = ua_prefix .. k }
  if want_playlist[i] == false and last_segment then
    want_playlist[i] = true
    return wrk.format("GET", last_segment, headers)
  end
  want_playlist[i] = false
  return wrk.format("GET", playlist_path(k), headers)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if body == nil then return end
  -- A playlist starts with #EXTM3U; a segment starts with the MPEG-TS sync byte.
  if body:sub(1, 7) == "#EXTM3U" then
    playlists = playlists + 1
    local newest
    for line in body:gmatch("[^\r\n]+") do
      if line:sub(1, 1) ~= "#" then newest = line end
    end
    if newest then
      if newest:sub(1, 1) ~= "/" then
        newest = playlist_tmpl:gsub("[^/]*$", "") .. newest
      end
      last_segment = newest
    else
      no_segment = no_segment + 1
    end
  elseif status == 200 then
    segments = segments + 1
  end
end

function done(summary, latency, requests)
  local merged = {}
  local pl, sg, ns = 0, 0, 0
  for _, t in ipairs(threads) do
    local c = t:get("codes")
    for code, n in pairs(c) do merged[code] = (merged[code] or 0) + n end
    pl = pl + t:get("playlists")
    sg = sg + t:get("segments")
    ns = ns + t:get("no_segment")
  end
  local parts = {}
  for code, n in pairs(merged) do table.insert(parts, code .. ":" .. n) end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d bytes=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d playlists=%d segments=%d " ..
    "empty_playlists=%d codes=%s\n",
    summary.requests, summary.bytes, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    pl, sg, ns, table.concat(parts, ",")))
end
