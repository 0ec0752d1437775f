{{/* Name of a service's objects: <release>-<service>. */}}
{{- define "throughline.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "throughline.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: throughline
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- range $k, $v := .root.Values.global.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* Labels a Service selects Pods by. */}}
{{- define "throughline.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The image of a service. */}}
{{- define "throughline.image" -}}
{{- $module := ternary "gateway" (printf "%s-service" .name) (eq .name "gateway") -}}
{{- printf "%s/%s:%s" .root.Values.global.image.registry $module (default .root.Chart.AppVersion .root.Values.global.image.tag) -}}
{{- end -}}

{{/* The workload kind of a service: tracking keeps its spool on a claim per pod. */}}
{{- define "throughline.kind" -}}
{{- ternary "StatefulSet" "Deployment" (eq .name "tracking") -}}
{{- end -}}

{{/*
The non-secret settings of a service, as the environment variables Quarkus maps to its properties
(THROUGHLINE_DB_HOST feeds throughline.db.host): the keys of its ConfigMap.
*/}}
{{- define "throughline.config" -}}
{{- $root := .root -}}
{{- $g := $root.Values.global -}}
{{- $svc := index $root.Values.services .name -}}
QUARKUS_HTTP_PORT: "8080"
QUARKUS_GRPC_SERVER_PORT: "9000"
THROUGHLINE_OIDC_URL: {{ $g.oidcUrl | quote }}
{{- with $g.oidcIssuer }}
THROUGHLINE_OIDC_ISSUER: {{ . | quote }}
{{- end }}
THROUGHLINE_PUBLIC_BASE_URL: {{ $g.publicBaseUrl | quote }}
{{- range $other, $o := $root.Values.services }}
{{- if and $o.enabled (ne $other "gateway") }}
THROUGHLINE_URL_{{ upper $other }}: {{ printf "http://%s:8080" (include "throughline.fullname" (dict "root" $root "name" $other)) | quote }}
{{- if $o.grpc }}
THROUGHLINE_GRPC_HOST_{{ upper $other }}: {{ include "throughline.fullname" (dict "root" $root "name" $other) | quote }}
THROUGHLINE_GRPC_PORT_{{ upper $other }}: "9000"
{{- end }}
{{- end }}
{{- end }}
{{- if $svc.postgres }}
THROUGHLINE_DB_HOST: {{ $g.database.host | quote }}
THROUGHLINE_DB_PORT: {{ $g.database.port | quote }}
THROUGHLINE_DB_USER: {{ $g.database.user | quote }}
THROUGHLINE_DB_NAME: {{ printf "%s%s" $g.database.namePrefix .name | quote }}
{{- end }}
{{- if eq .name "gateway" }}
THROUGHLINE_GATEWAY_BEHIND_PROXY: "true"
{{- if $root.Values.services.tracking.enabled }}
THROUGHLINE_URL_COLLECTOR: {{ printf "http://%s:8090" (include "throughline.fullname" (dict "root" $root "name" "tracking")) | quote }}
{{- end }}
{{- end }}
{{- if or (eq .name "calltracking") (eq .name "tracking") }}
THROUGHLINE_TRUSTED_PROXIES: {{ $g.trustedProxies | quote }}
{{- end }}
{{- if eq .name "tracking" }}
THROUGHLINE_PORT_COLLECTOR: "8090"
THROUGHLINE_DATA_DIR: /data
THROUGHLINE_TRACKING_SPOOL_MAX_BYTES: {{ $svc.spool.maxBytes | int64 | quote }}
{{- end }}
{{- range $k, $v := $svc.env }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/*
Annotations of a Secret the chart generates for its bundled stores: made once, at install (a hook), so upgrades
never regenerate the password under a store that already uses it; kept when the release is deleted.
*/}}
{{- define "throughline.generatedSecret" -}}
helm.sh/hook: pre-install
helm.sh/hook-weight: "-10"
helm.sh/resource-policy: keep
{{- end -}}
