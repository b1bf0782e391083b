{{/* Names, labels and the environment the parts share. */}}

{{- define "renderfarm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "renderfarm.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "renderfarm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "renderfarm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: renderfarm
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "facade"). */}}
{{- define "renderfarm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "renderfarm.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image reference of one part: (dict "ctx" $ "repository" .Values.image.facade). */}}
{{- define "renderfarm.image" -}}
{{- $img := .ctx.Values.image -}}
{{- $repo := .repository -}}
{{- if $img.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default .ctx.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{- define "renderfarm.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Name of the Secret holding tokens and keys (the given one or the chart's). */}}
{{- define "renderfarm.secretName" -}}
{{- default (printf "%s-secrets" (include "renderfarm.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Whether the bundled Redis runs: enabled and no external Redis given. */}}
{{- define "renderfarm.bundledRedis" -}}
{{- if and .Values.redis.bundled.enabled (not .Values.redis.configuration) (not .Values.redis.existingSecret) }}true{{ end -}}
{{- end -}}

{{/*
A value of the chart's Secret: the one given in values, else the one the Secret already holds
(read with lookup, so upgrades keep it), else a new random one.
(dict "ctx" $ "key" "node-token" "given" .Values.secrets.nodeToken "length" 40 "prefix" "")
*/}}
{{- define "renderfarm.secretValue" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace (include "renderfarm.secretName" .ctx) -}}
{{- if .given -}}
{{- .given -}}
{{- else if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- printf "%s%s" (default "" .prefix) (randAlphaNum (int .length)) -}}
{{- end -}}
{{- end -}}

{{/* An env entry read from a Secret key: (dict "name" "X" "secret" "s" "key" "k"). */}}
{{- define "renderfarm.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/* extraEnv (a map) as env entries. */}}
{{- define "renderfarm.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Tracing variables of every component (none while tracing.otlpEndpoint is empty). */}}
{{- define "renderfarm.tracingEnv" -}}
{{- with .Values.tracing }}
{{- if .otlpEndpoint }}
- name: RenderFarm__Tracing__OtlpEndpoint
  value: {{ .otlpEndpoint | quote }}
- name: RenderFarm__Tracing__SampleRatio
  value: {{ .sampleRatio | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Redis and object store variables of facade and coordinators. */}}
{{- define "renderfarm.stateEnv" -}}
{{- $secret := include "renderfarm.secretName" . -}}
{{- if include "renderfarm.bundledRedis" . }}
{{ include "renderfarm.secretEnv" (dict "name" "RENDERFARM_REDIS_PASSWORD" "secret" $secret "key" "redis-password") }}
- name: RenderFarm__Redis__Configuration
  value: {{ printf "%s-redis:6379,password=$(RENDERFARM_REDIS_PASSWORD),abortConnect=false" (include "renderfarm.fullname" .) | quote }}
{{- else if .Values.redis.existingSecret }}
{{ include "renderfarm.secretEnv" (dict "name" "RenderFarm__Redis__Configuration" "secret" .Values.redis.existingSecret "key" .Values.redis.existingSecretKey) }}
{{- else }}
- name: RenderFarm__Redis__Configuration
  value: {{ required "redis.configuration (or redis.existingSecret, or redis.bundled.enabled) is required" .Values.redis.configuration | quote }}
{{- end }}
- name: RenderFarm__Redis__KeyPrefix
  value: {{ .Values.redis.keyPrefix | quote }}
{{ include "renderfarm.secretEnv" (dict "name" "RenderFarm__Storage__SigningKey" "secret" $secret "key" "signing-key") }}
- name: RenderFarm__Storage__Kind
  value: {{ .Values.storage.kind | quote }}
- name: RenderFarm__Storage__Retention
  value: {{ .Values.storage.retention | quote }}
{{- if eq .Values.storage.kind "S3" }}
{{- $s3 := .Values.storage.s3 }}
- name: RenderFarm__Storage__S3__Endpoint
  value: {{ required "storage.s3.endpoint is required with storage.kind S3" $s3.endpoint | quote }}
{{- with $s3.publicEndpoint }}
- name: RenderFarm__Storage__S3__PublicEndpoint
  value: {{ . | quote }}
{{- end }}
- name: RenderFarm__Storage__S3__Bucket
  value: {{ $s3.bucket | quote }}
- name: RenderFarm__Storage__S3__Region
  value: {{ $s3.region | quote }}
{{- $s3secret := default (printf "%s-s3" (include "renderfarm.fullname" .)) $s3.existingSecret }}
{{ include "renderfarm.secretEnv" (dict "name" "RenderFarm__Storage__S3__AccessKey" "secret" $s3secret "key" $s3.accessKeyKey) }}
{{ include "renderfarm.secretEnv" (dict "name" "RenderFarm__Storage__S3__SecretKey" "secret" $s3secret "key" $s3.secretKeyKey) }}
{{- else }}
- name: RenderFarm__Storage__Root
  value: /var/lib/renderfarm/objects
- name: RenderFarm__Storage__PublicBaseUrl
  value: {{ required "storage.fileSystem.publicBaseUrl is required with storage.kind FileSystem" .Values.storage.fileSystem.publicBaseUrl | quote }}
{{- end }}
{{- end -}}

{{/* The object store volume of facade and coordinators (FileSystem only). */}}
{{- define "renderfarm.objectsMount" -}}
{{- if eq .Values.storage.kind "FileSystem" }}
- name: objects
  mountPath: /var/lib/renderfarm/objects
{{- end }}
{{- end -}}

{{- define "renderfarm.objectsVolume" -}}
{{- if eq .Values.storage.kind "FileSystem" }}
- name: objects
  persistentVolumeClaim:
    claimName: {{ required "storage.fileSystem.existingClaim is required with storage.kind FileSystem" .Values.storage.fileSystem.existingClaim }}
{{- end }}
{{- end -}}

{{/* hh:mm:ss of a number of seconds. */}}
{{- define "renderfarm.duration" -}}
{{- $s := int . -}}
{{- printf "%02d:%02d:%02d" (div $s 3600) (div (mod $s 3600) 60) (mod $s 60) -}}
{{- end -}}

{{/* A node pool's grace period: the given one, else drain + 30 s; it must exceed the drain. */}}
{{- define "renderfarm.nodeGrace" -}}
{{- $drain := int .drainTimeoutSeconds -}}
{{- $grace := int (default 0 .terminationGracePeriodSeconds) -}}
{{- if eq $grace 0 }}{{ $grace = add $drain 30 }}{{ end -}}
{{- if le $grace $drain }}{{ fail (printf "nodePools[%s]: terminationGracePeriodSeconds (%d) must exceed drainTimeoutSeconds (%d)" .name $grace $drain) }}{{ end -}}
{{- $grace -}}
{{- end -}}

{{/* Labels of a component's pods: its selector labels plus version and part-of. */}}
{{- define "renderfarm.podLabels" -}}
{{ include "renderfarm.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: renderfarm
{{- end -}}

{{/*
The node pools with every optional key filled in (a pool given in values replaces the default
list entry whole, so its omitted keys get these defaults). Use: include … | fromJsonArray.
*/}}
{{- define "renderfarm.nodePools" -}}
{{- $defaults := dict "labels" (dict) "nodeSelector" (dict) "tolerations" (list) "affinity" (dict) "runtimeClassName" ""
      "terminationGracePeriodSeconds" 0 "workDirGiB" 20 "mediaCacheGiB" 10 "extraEnv" (dict) "maxUnavailable" 1
      "keda" (dict "enabled" false "minReplicaCount" 0 "maxReplicaCount" 4 "query" "" "threshold" "1" "activationThreshold" "0" "cooldownPeriod" 600) -}}
{{- $pools := list -}}
{{- range .Values.nodePools -}}
{{- $pools = append $pools (merge (deepCopy .) (deepCopy $defaults)) -}}
{{- end -}}
{{- toJson $pools -}}
{{- end -}}
