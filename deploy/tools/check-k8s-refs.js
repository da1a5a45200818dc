#!/usr/bin/env node
'use strict';
// Checks what schemas cannot: that the rendered vlmc-server objects refer to
// each other correctly (selectors, named ports, ConfigMap, scale target), that
// the ports the ConfigMap makes the server listen on are the container ports,
// that all three probes use gRPC health on the plaintext health port, and
// that the pod's termination grace period covers preStop plus the server's
// drain time.
// Usage: check-k8s-refs.js FILE (a FILE of '-' reads stdin)
const {readDocuments, readStdinDocuments} = require('./lib/manifests');

const problems = [];
const check = (ok, message) => ok || problems.push(message);

function selects(selector, labels) {
  const wanted = (selector && selector.matchLabels) || {};
  return Object.keys(wanted).length > 0 &&
      Object.entries(wanted).every(([k, v]) => labels && labels[k] === v);
}

function portOf(address) {
  const match = /:(\d+)$/.exec(address || '');
  return match ? Number(match[1]) : NaN;
}

function checkDeployment(objects, deployment) {
  const name = deployment.metadata.name;
  const pod = deployment.spec.template;
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  check(selects(deployment.spec.selector, pod.metadata.labels),
        `Deployment ${name}: selector does not match its pod labels`);
  const [container] = pod.spec.containers;
  const ports = container.ports || [];
  const namedPort = (port) => typeof port === 'number' ?
      ports.find((p) => p.containerPort === port) :
      ports.find((p) => p.name === port);

  const configMaps = (container.envFrom || []).map((e) => e.configMapRef.name);
  const env = {};
  for (const configMapName of configMaps) {
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === configMapName);
    check(configMap, `Deployment ${name}: envFrom ConfigMap ${configMapName} is not rendered`);
    Object.assign(env, configMap ? configMap.data : {});
  }
  const grpcPort = namedPort('grpc');
  const metricsPort = namedPort('metrics');
  check(grpcPort && portOf(env.VLMC_LISTEN) === grpcPort.containerPort,
        `VLMC_LISTEN (${env.VLMC_LISTEN}) is not the 'grpc' container port`);
  check(metricsPort && portOf(env.VLMC_METRICS_LISTEN) === metricsPort.containerPort,
        `VLMC_METRICS_LISTEN (${env.VLMC_METRICS_LISTEN}) is not the 'metrics' container port`);

  // Probes go to the plaintext health listener: the kubelet cannot probe a
  // TLS gRPC port.
  const healthPort = namedPort('health');
  check(healthPort && portOf(env.VLMC_HEALTH_LISTEN) === healthPort.containerPort,
        `VLMC_HEALTH_LISTEN (${env.VLMC_HEALTH_LISTEN}) is not the 'health' container port`);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const grpc = container[probe] && container[probe].grpc;
    check(grpc && healthPort && grpc.port === healthPort.containerPort,
          `${probe}: must be a gRPC health probe on the 'health' port`);
  }

  const preStop = container.lifecycle && container.lifecycle.preStop;
  const preStopSeconds = (preStop && preStop.sleep && preStop.sleep.seconds) || 0;
  const drainSeconds = Number(env.VLMC_SHUTDOWN_GRACE_SECONDS || 10);
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  check(grace > preStopSeconds + drainSeconds,
        `terminationGracePeriodSeconds ${grace} does not exceed preStop ` +
        `${preStopSeconds} s + VLMC_SHUTDOWN_GRACE_SECONDS ${drainSeconds} s`);

  const tls = (pod.spec.volumes || []).find((v) => v.secret);
  check(tls && (container.volumeMounts || []).some((m) => m.name === tls.name),
        'no TLS secret volume mounted into the container');

  for (const service of byKind('Service')) {
    check(selects({matchLabels: service.spec.selector}, pod.metadata.labels),
          `Service ${service.metadata.name}: selector does not match the pods`);
    for (const port of service.spec.ports) {
      check(namedPort(port.targetPort ?? port.port),
            `Service ${service.metadata.name}: targetPort ${port.targetPort} is no container port`);
    }
  }
  for (const monitor of byKind('ServiceMonitor')) {
    const services = byKind('Service').filter(
        (s) => selects(monitor.spec.selector, s.metadata.labels));
    check(services.length, `ServiceMonitor ${monitor.metadata.name}: selects no Service`);
    for (const endpoint of monitor.spec.endpoints) {
      check(services.some((s) => s.spec.ports.some((p) => p.name === endpoint.port)),
            `ServiceMonitor: endpoint port ${endpoint.port} is no Service port name`);
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const ref = hpa.spec.scaleTargetRef;
    check(ref.kind === 'Deployment' && ref.name === name,
          `HorizontalPodAutoscaler ${hpa.metadata.name}: does not scale Deployment ${name}`);
    check((hpa.spec.minReplicas ?? 1) <= hpa.spec.maxReplicas,
          `HorizontalPodAutoscaler ${hpa.metadata.name}: minReplicas > maxReplicas`);
  }
  for (const kind of ['PodDisruptionBudget', 'NetworkPolicy']) {
    for (const object of byKind(kind)) {
      const selector = kind === 'NetworkPolicy' ? object.spec.podSelector : object.spec.selector;
      check(selects(selector, pod.metadata.labels),
            `${kind} ${object.metadata.name}: selector does not match the pods`);
    }
  }
  for (const policy of byKind('NetworkPolicy')) {
    for (const rule of policy.spec.ingress || []) {
      for (const port of rule.ports || []) {
        check(namedPort(port.port), `NetworkPolicy: port ${port.port} is no container port`);
      }
    }
  }
}

try {
  const file = process.argv[2];
  if (!file || process.argv.length !== 3) throw new Error('usage: check-k8s-refs.js FILE');
  const objects = file === '-' ? readStdinDocuments() : readDocuments(file);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  check(deployments.length === 1, `expected one Deployment, found ${deployments.length}`);
  if (deployments.length === 1) checkDeployment(objects, deployments[0]);
} catch (error) {
  problems.push(error.message);
}
for (const problem of problems) console.error(`check-k8s-refs: ${problem}`);
console.log(`check-k8s-refs: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
