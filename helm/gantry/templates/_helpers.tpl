{{/* The chart's name, truncated to the 63 characters Kubernetes allows in a label. */}}
{{- define "gantry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's resource name. */}}
{{- define "gantry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gantry.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "gantry.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "gantry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gantry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gantry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gantry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image: the CUDA variant (tag suffix) when GPUs are requested. */}}
{{- define "gantry.image" -}}
{{- $tag := toString (default .Chart.AppVersion .Values.image.tag) }}
{{- if .Values.gpu.enabled }}
{{- $tag = printf "%s%s" $tag .Values.gpu.imageTagSuffix }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{/* gantry.kafka.mode: external when bootstrap servers are given, otherwise disabled; never embedded in a cluster. */}}
{{- define "gantry.kafkaMode" -}}
{{- if .Values.kafka.bootstrapServers }}external{{ else }}disabled{{ end }}
{{- end }}

{{/* The model file the service opens, or nothing for the built-in demo model. */}}
{{- define "gantry.modelFile" -}}
{{- $file := .Values.model.file }}
{{- if and (not $file) .Values.model.download.enabled }}
{{- $file = .Values.model.download.url | splitList "?" | first | base }}
{{- end }}
{{- if $file }}
{{- printf "%s/%s" (trimSuffix "/" .Values.model.mountPath) $file }}
{{- end }}
{{- end }}

{{/* The model's id in the API: gantry.model.name, else the file's base name without .gguf, else the demo model. */}}
{{- define "gantry.modelId" -}}
{{- $file := include "gantry.modelFile" . }}
{{- if .Values.model.name }}{{ .Values.model.name }}
{{- else if $file }}{{ $file | base | trimSuffix ".gguf" }}
{{- else }}gantry-demo{{ end }}
{{- end }}

{{/* Whether the pod mounts a model volume. */}}
{{- define "gantry.modelVolume" -}}
{{- if or .Values.model.persistence.enabled .Values.model.download.enabled }}true{{ end }}
{{- end }}

{{- define "gantry.modelClaimName" -}}
{{- default (printf "%s-model" (include "gantry.fullname" .)) .Values.model.persistence.existingClaim }}
{{- end }}

{{/* Seconds Kubernetes waits after the preStop hook starts: preStop sleep + drain timeout + margin. */}}
{{- define "gantry.terminationGracePeriodSeconds" -}}
{{- add .Values.drain.preStopSleepSeconds .Values.drain.timeoutSeconds .Values.drain.extraGraceSeconds }}
{{- end }}

{{/* The properties file the service reads as config/application.properties. */}}
{{- define "gantry.applicationProperties" -}}
# Gantry settings from the Helm release {{ .Release.Name }}; every key is described in the chart's README.
gantry.scheduler={{ .Values.plugins.scheduler }}
gantry.speculator={{ .Values.plugins.speculator }}
gantry.attention={{ .Values.plugins.attention }}
gantry.kv-codec={{ .Values.plugins.kvCodec }}
gantry.planner={{ .Values.plugins.planner }}
{{- range $plugin, $settings := .Values.plugins.settings }}
{{- range $key, $value := $settings }}
gantry.plugin.{{ $plugin }}.{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- if .Values.plugins.path }}
gantry.plugin-path={{ .Values.plugins.path }}
{{- end }}
{{- with include "gantry.modelFile" . }}
gantry.model.path={{ . }}
{{- end }}
{{- with .Values.model.name }}
gantry.model.name={{ . }}
{{- end }}
gantry.device={{ ternary .Values.gpu.device .Values.config.device .Values.gpu.enabled }}
{{- if not (kindIs "invalid" .Values.config.threads) }}
gantry.threads={{ .Values.config.threads }}
{{- end }}
gantry.kv.budget={{ .Values.config.kvBudget }}
gantry.kv.block-size={{ .Values.config.kvBlockSize }}
gantry.queue.max-waiting={{ .Values.config.queueMaxWaiting }}
{{- if not (kindIs "invalid" .Values.config.limits.maxPromptTokens) }}
gantry.limits.max-prompt-tokens={{ .Values.config.limits.maxPromptTokens }}
{{- end }}
{{- if not (kindIs "invalid" .Values.config.limits.maxTokens) }}
gantry.limits.max-tokens={{ .Values.config.limits.maxTokens }}
{{- end }}
gantry.limits.max-body-bytes={{ .Values.config.limits.maxBodyBytes }}
gantry.metrics.prefix={{ .Values.config.metricsPrefix }}
gantry.drain-timeout={{ .Values.drain.timeoutSeconds }}s
gantry.kafka.mode={{ include "gantry.kafkaMode" . }}
{{- if .Values.kafka.bootstrapServers }}
kafka.bootstrap.servers={{ .Values.kafka.bootstrapServers }}
gantry.kafka.group-id={{ .Values.kafka.groupId }}
gantry.kafka.topics.requests={{ .Values.kafka.topics.requests }}
gantry.kafka.topics.responses={{ .Values.kafka.topics.responses }}
gantry.kafka.topics.preemption={{ .Values.kafka.topics.preemption }}
gantry.kafka.topics.checkpoints={{ .Values.kafka.topics.checkpoints }}
gantry.kafka.topics.dlq={{ .Values.kafka.topics.dlq }}
gantry.kafka.topics.state={{ .Values.kafka.topics.state }}
{{- end }}
quarkus.http.host=0.0.0.0
quarkus.http.port={{ .Values.containerPort }}
{{- range $key, $value := .Values.config.extraProperties }}
{{ $key }}={{ $value }}
{{- end }}
{{- end }}
