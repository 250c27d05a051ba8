// The files of alerts/ and dashboards/ for the default settings: scripts/generate-mixin.sh.
(import 'lib/files.libsonnet')(import 'mixin.libsonnet')
