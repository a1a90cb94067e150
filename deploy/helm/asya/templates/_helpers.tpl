{{/* Labels shared by every object: name, part-of, component (passed as .component), chart. */}}
{{- define "asya.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: asya
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels: stable across upgrades. */}}
{{- define "asya.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: asya
{{- end -}}

{{/* repository:tag of an entry of .Values.images, the tag defaulting to the chart's appVersion. */}}
{{- define "asya.image" -}}
{{ printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end -}}
