// Prints rule groups as the YAML of alerts/*.yaml: the files' comments (the hidden fields
// `comment` and `blank` of groups and rules) and layout, block scalars for multi-line
// expressions (`|`) and annotations (`>-`, folded where the text breaks its lines).
local pad(n) = std.repeat(' ', n);

// std.findSubstr and std.rstripChars walk strings in jsonnet (slow in 0.18); std.split and
// std.strReplace are built in.
local has(s, part) = std.strReplace(s, part, '') != s;
local chomp(text) = if std.endsWith(text, '\n') then std.substr(text, 0, std.length(text) - 1) else text;

local indentLines(text, n) =
  std.join('', [(if l == '' then '' else pad(n) + l) + '\n' for l in std.split(chomp(text), '\n')]);

// YAML indicators that a plain scalar may not start with, and sequences it may not contain.
local plainUnsafeStart = std.set(std.stringChars('-?:,[]{}#&*!|>\'"%@`'));
local isPlain(s) =
  s != '' && !std.setMember(s[0], plainUnsafeStart)
  && !has(s, ': ') && !has(s, ' #')
  && s[std.length(s) - 1] != ':' && s[std.length(s) - 1] != ' ';

// Plain where YAML allows it; quoted templates ({{ ... }}) read better and stay safe to edit.
local scalar(v) =
  local s = std.toString(v);
  if std.isString(v) && (!isPlain(s) || has(s, '{{'))
  then "'" + std.strReplace(s, "'", "''") + "'" else s;

local pre(item, n, maxBlank) =
  std.repeat('\n', std.min(maxBlank, std.get(item, 'blank', 0, inc_hidden=true)))
  + (if std.objectHasAll(item, 'comment') then indentLines(item.comment, n) else '');

// `key: value` at column n; a value with line breaks as a block scalar of `style`.
local entry(key, value, n, style) =
  if std.isString(value) && has(value, '\n') then
    pad(n) + key + ': ' + style + '\n' + indentLines(value, n + 2)
  else pad(n) + key + ': ' + scalar(value) + '\n';

// The keys of a map in the files' order: `first` as listed, then the rest by name.
local ordered(obj, first) = [k for k in first if std.objectHas(obj, k)] + [k for k in std.objectFields(obj) if !std.member(first, k)];

local map(key, obj, n, first) =
  if obj == null then '' else
    pad(n) + key + ':\n' + std.join('', [entry(k, obj[k], n + 2, '>-') for k in ordered(obj, first)]);

local rule(r, n, maxBlank) =
  pre(r, n, maxBlank)
  + pad(n) + '- ' + (if std.objectHas(r, 'alert') then 'alert: ' + r.alert else 'record: ' + r.record) + '\n'
  + entry('expr', r.expr, n + 2, '|')
  + (if std.objectHas(r, 'for') then entry('for', r['for'], n + 2, '|') else '')
  + (if std.objectHas(r, 'keep_firing_for') then entry('keep_firing_for', r.keep_firing_for, n + 2, '|') else '')
  + map('labels', std.get(r, 'labels'), n + 2, ['severity'])
  + map('annotations', std.get(r, 'annotations'), n + 2, ['summary', 'description', 'runbook_url']);

local group(g, n, maxBlank) =
  pre(g, n, maxBlank)
  + pad(n) + '- name: ' + scalar(g.name) + '\n'
  + (if std.objectHas(g, 'interval') then pad(n + 2) + 'interval: ' + scalar(g.interval) + '\n' else '')
  + pad(n + 2) + 'rules:\n'
  + std.join('', [rule(r, n + 4, maxBlank) for r in g.rules]);

{
  // The groups of one file, at column n (2 in a rule file), with at most maxBlank blank lines in a row.
  groups(groups, n=2, maxBlank=2):: std.join('', [group(g, n, maxBlank) for g in groups]),

  // A rule file: its header comment, then its groups.
  file(f):: (if std.objectHasAll(f, 'header') then f.header else '') + 'groups:\n' + self.groups(f.groups),
}
