{{/* Chart name. */}}
{{- define "portcullis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the prefix of every resource name. */}}
{{- define "portcullis.fullname" -}}
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

{{- define "portcullis.operatorName" -}}
{{- printf "%s-operator" (include "portcullis.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portcullis.gatewayName" -}}
{{- printf "%s-gateway" (include "portcullis.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portcullis.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of pods besides their selector labels. */}}
{{- define "portcullis.podLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "portcullis.operatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "portcullis.gatewaySelectorLabels" -}}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "portcullis.operatorServiceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "portcullis.operatorName" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "portcullis.gatewayServiceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create }}
{{- default (include "portcullis.gatewayName" .) .Values.gateway.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.gateway.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The fleet token Secret's name: an existing one, or the one this chart makes. */}}
{{- define "portcullis.fleetTokenSecret" -}}
{{- if .Values.fleetToken.existingSecret }}
{{- .Values.fleetToken.existingSecret }}
{{- else }}
{{- printf "%s-fleet-token" (include "portcullis.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The config service URL gateways connect to: the operator Service's cluster DNS name. */}}
{{- define "portcullis.operatorUrl" -}}
{{- printf "%s://%s.%s.svc:%d" (ternary "https" "http" .Values.configServiceTls.enabled) (include "portcullis.operatorName" .) .Release.Namespace (int .Values.operator.configPort) }}
{{- end }}

{{- define "portcullis.image" -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) }}
{{- end }}

{{/* Where both programs read the fleet token. */}}
{{- define "portcullis.fleetTokenDir" -}}/var/run/portcullis/fleet-token{{- end }}
{{- define "portcullis.tlsDir" -}}/var/run/portcullis/tls{{- end }}
{{- define "portcullis.operatorCaDir" -}}/var/run/portcullis/operator-ca{{- end }}

{{/* Fails the render on values that cannot work. */}}
{{- define "portcullis.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection) }}
{{- fail "operator.replicas > 1 needs operator.leaderElection: true (otherwise every replica writes status and mints keys)" }}
{{- end }}
{{- $a := .Values.gateway.autoscaling }}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- fail "gateway.autoscaling.minReplicas must not exceed gateway.autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.configServiceTls.enabled (not .Values.configServiceTls.secretName) }}
{{- fail "configServiceTls.enabled needs configServiceTls.secretName (an existing kubernetes.io/tls Secret)" }}
{{- end }}
{{- end }}

{{/* Soft topology spread over the listed keys for the pods with the given selector labels. */}}
{{- define "portcullis.topologySpread" -}}
{{- $labels := .labels }}
{{- range .keys }}
- maxSkew: 1
  topologyKey: {{ . }}
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- $labels | nindent 6 }}
{{- end }}
{{- end }}
