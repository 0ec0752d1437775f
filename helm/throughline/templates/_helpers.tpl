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
