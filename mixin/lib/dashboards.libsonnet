// The dashboards for the mixin's settings. Their sources are Grafana JSON (mixin/dashboards/,
// edited in Grafana or by hand, keys in Grafana's order); every query in them (`expr`, and a
// variable's `query` and `definition`) is rewritten by promql.libsonnet, and with aggregation
// labels each legend names them first. Only those strings change, in place, so that with the
// default settings a dashboard comes out byte for byte as it went in.
local promql = import 'promql.libsonnet';

// Every JSON string value of `key` (one per line, as Grafana writes them) through f. The text is
// cut at each `"key": "` (std.findSubstr is too slow for dashboards in jsonnet 0.18).
local rewriteValues(text, key, f) =
  local marker = '"' + key + '": "';
  local parts = std.split(std.strReplace(text, marker, '\u0001'), '\u0001');
  local rewrite(part) =
    local line = std.splitLimit(part, '\n', 1);
    local comma = std.endsWith(line[0], '",');
    local json = '"' + (if comma then std.substr(line[0], 0, std.length(line[0]) - 1) else line[0]);
    local value = std.parseJson(json);
    local changed = f(value);
    if changed == value then part
    else
      local escaped = std.escapeStringJson(changed);
      std.substr(escaped, 1, std.length(escaped) - 1) + (if comma then ',' else '')
      + (if std.length(line) > 1 then '\n' + line[1] else '');
  std.join(marker, [parts[0]] + [rewrite(p) for p in parts[1:]]);

local legend(config, text) =
  if text == '' || text == '__auto' then text
  else std.join(' ', ['{{%s}}' % l for l in config.aggregationLabels]) + ' ' + text;

{
  // The text of a dashboard for `config`.
  render(config, source)::
    local query(v) = promql.apply(config, v);
    local queries = std.foldl(function(text, key) rewriteValues(text, key, query), ['expr', 'query', 'definition'], source);
    if std.length(config.aggregationLabels) == 0 then queries
    else rewriteValues(queries, 'legendFormat', function(v) legend(config, v)),
}
