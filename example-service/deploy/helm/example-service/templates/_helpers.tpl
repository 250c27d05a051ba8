{{- define "example-service.labels" -}}
app.kubernetes.io/name: example-service
app.kubernetes.io/part-of: plimsoll
{{- end }}

{{- define "example-service.securityContext" -}}
runAsNonRoot: true
runAsUser: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "example-service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "example-service.databaseEnv" -}}
{{- $secret := .secret -}}
{{- $optional := .optional -}}
{{- range list (list "DATABASE_URL" "url") (list "DATABASE_USERNAME" "username") (list "DATABASE_PASSWORD" "password") }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ index . 1 }}
      {{- if $optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}
