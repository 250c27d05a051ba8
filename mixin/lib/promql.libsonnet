// Rewrites a PromQL expression written for one Prometheus per environment (aggregated by
// service_name, no selector) for the mixin's settings: the aggregation labels go in front of
// every `by (` and `on (` list, the selector into every raw series, and the latency SLO bucket
// le="0.5" becomes the configured threshold. With the default settings it returns its input.
local identChars = std.set(std.stringChars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:'));
local isIdent(c) = std.setMember(c, identChars);

// std.split takes one character only (jsonnet 0.18), and std.findSubstr is slow: mark each
// separator with a character PromQL never holds, then split on it.
local splitOn(s, sep) = std.split(std.strReplace(s, sep, '\u0001'), '\u0001');

// The raw series (docs/contract.md) the rules and dashboards read; recording rules are left alone.
local rawSeries = [
  'http_server_request_duration_seconds_bucket',
  'http_server_request_duration_seconds_count',
  'http_server_request_duration_seconds_sum',
  'ops_build_info',
  'ops_health_status',
  'ops_health_check_status',
  'ops_health_check_duration_seconds_count',
  'ops_health_check_duration_seconds_sum',
  'ops_health_check_duration_seconds_max',
  'process_start_time_seconds',
  'process_uptime_seconds',
  'process_cpu_usage',
  'system_cpu_usage',
  'system_cpu_count',
  'hikaricp_connections_pending',
  'hikaricp_connections_timeout_total',
  'hikaricp_connections_active',
  'hikaricp_connections_idle',
  'hikaricp_connections_max',
  'hikaricp_connections',
  'hikaricp_connections_acquire_seconds_count',
  'hikaricp_connections_acquire_seconds_sum',
  'hikaricp_connections_acquire_seconds_max',
  'jvm_memory_used_bytes',
  'jvm_memory_max_bytes',
  'jvm_memory_committed_bytes',
  'jvm_gc_pause_seconds_count',
  'jvm_gc_pause_seconds_sum',
  'jvm_gc_pause_seconds_max',
  'jvm_gc_memory_allocated_bytes_total',
  'jvm_gc_memory_promoted_bytes_total',
  'jvm_threads_live_threads',
  'jvm_threads_states_threads',
  'jvm_classes_loaded_classes',
  'logback_events_total',
  'up',
];

// Every occurrence of `name` standing alone (not part of a longer name) gets the matchers.
local select(expr, name, matchers) =
  local parts = splitOn(expr, name);
  local n = std.length(parts);
  local standsAlone(i) =
    (std.length(parts[i]) == 0 || !isIdent(parts[i][std.length(parts[i]) - 1]))
    && (std.length(parts[i + 1]) == 0 || !isIdent(parts[i + 1][0]));
  local joint(i) =
    if !standsAlone(i) then name
    else if std.length(parts[i + 1]) > 0 && parts[i + 1][0] == '{' then
      name + '{' + matchers + (if std.length(parts[i + 1]) > 1 && parts[i + 1][1] == '}' then '' else ', ')
    else name + '{' + matchers + '}';
  local rest(i) = if i > 0 && std.length(parts[i]) > 0 && parts[i][0] == '{' && standsAlone(i - 1) then std.substr(parts[i], 1, std.length(parts[i]) - 1) else parts[i];
  if n == 1 then expr
  else std.join('', [rest(0)] + std.flattenArrays([[joint(i), rest(i + 1)] for i in std.range(0, n - 2)]));

// `by (a, b)` → `by (<labels not in the list>, a, b)`.
local prefixLists(expr, keyword, labels) =
  local parts = splitOn(expr, keyword + ' (');
  local fix(part) =
    local inside = std.split(part, ')')[0];
    local list = [std.stripChars(l, ' ') for l in std.split(inside, ',') if std.stripChars(l, ' ') != ''];
    local missing = [l for l in labels if !std.member(list, l)];
    if std.length(missing) == 0 then part
    else std.join(', ', missing) + (if std.length(list) == 0 then '' else ', ') + part;
  // Only whole words: `on (` must not be the end of `group_left on (`… it never is, but `xon (` would be.
  local standsAlone(i) = std.length(parts[i]) == 0 || !isIdent(parts[i][std.length(parts[i]) - 1]);
  std.join(keyword + ' (', [parts[0]] + [
    if standsAlone(i - 1) then fix(parts[i]) else parts[i]
    for i in std.range(1, std.length(parts) - 1)
  ]);

// `sum(` and `sum (` without a `by` (a panel's total) → `sum by (labels) (`, so that a fleet's
// dashboards show one series per cluster rather than their sum.
local aggregators = ['sum', 'min', 'max', 'avg', 'count', 'group'];
local byLabels(expr, labels) =
  std.foldl(function(e, spelling)
    local parts = splitOn(e, spelling);
    local op = std.stripChars(spelling, ' (');
    std.join('', [parts[0]] + std.flattenArrays([
      local before = parts[i - 1];
      [if std.length(before) == 0 || !isIdent(before[std.length(before) - 1])
       then op + ' by (' + std.join(', ', labels) + ') ('
       else spelling, parts[i]]
      for i in std.range(1, std.length(parts) - 1)
    ])),
    [op + '(' for op in aggregators] + [op + ' (' for op in aggregators], expr);

{
  rawSeries: rawSeries,

  // The expression for the settings in `config` (the mixin's _config).
  apply(config, expr)::
    local selected = if config.selector == '' then expr else std.foldl(function(e, name) select(e, name, config.selector), rawSeries, expr);
    local aggregated =
      if std.length(config.aggregationLabels) == 0 then selected
      else byLabels(prefixLists(prefixLists(selected, 'by', config.aggregationLabels), 'on', config.aggregationLabels), config.aggregationLabels);
    local threshold = std.format('%.15g', config.sloLatencyThresholdSeconds);
    if threshold == '0.5' then aggregated else std.strReplace(aggregated, 'le="0.5"', 'le="' + threshold + '"'),
}
