"""A small cluster (Deployments, their dumped Pods with IPs, Services with clusterIPs) and a
candidate policy set, shared by the flow tests. Written for these tests."""

from __future__ import annotations

CLUSTER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: front-end, namespace: shop}
spec:
  selector: {matchLabels: {app: front-end}}
  template:
    metadata: {labels: {app: front-end}}
    spec:
      containers:
        - name: web
          image: shop/front-end:1.0
          ports: [{containerPort: 8079, name: http}]
          env: [{name: CATALOGUE_URL, value: "http://catalogue"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: catalogue, namespace: shop}
spec:
  selector: {matchLabels: {app: catalogue}}
  template:
    metadata: {labels: {app: catalogue}}
    spec:
      containers:
        - name: app
          image: shop/catalogue:1.0
          ports: [{containerPort: 8080, name: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
        - name: app
          image: shop/orders:1.0
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: catalogue, namespace: shop}
spec:
  clusterIP: 10.96.0.20
  selector: {app: catalogue}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  clusterIP: 10.96.0.30
  selector: {app: orders}
  ports: [{port: 80}]
"""

# kubectl get pods -o yaml, trimmed: owners through the ReplicaSet's pod-template-hash.
PODS = """\
apiVersion: v1
kind: Pod
metadata:
  name: front-end-7d9c8b-x1x2x
  namespace: shop
  labels: {app: front-end, pod-template-hash: 7d9c8b}
  ownerReferences: [{kind: ReplicaSet, name: front-end-7d9c8b, controller: true}]
spec:
  containers:
    - name: web
      image: shop/front-end:1.0
      ports: [{containerPort: 8079, name: http}]
status: {podIP: 10.0.1.5}
---
apiVersion: v1
kind: Pod
metadata:
  name: catalogue-5f6b7c-q8w9e
  namespace: shop
  labels: {app: catalogue, pod-template-hash: 5f6b7c}
  ownerReferences: [{kind: ReplicaSet, name: catalogue-5f6b7c, controller: true}]
spec:
  containers:
    - name: app
      image: shop/catalogue:1.0
      ports: [{containerPort: 8080, name: http}]
status: {podIP: 10.0.2.7}
---
apiVersion: v1
kind: Pod
metadata:
  name: orders-6c7d8e-z3z4z
  namespace: shop
  labels: {app: orders, pod-template-hash: 6c7d8e}
  ownerReferences: [{kind: ReplicaSet, name: orders-6c7d8e, controller: true}]
spec:
  containers:
    - name: app
      image: shop/orders:1.0
      ports: [{containerPort: 80}]
status: {podIP: 10.0.3.9}
"""

POLICIES = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-end-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: front-end}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: catalogue}}}]
      ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: catalogue-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: catalogue}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: front-end}}}]
      ports: [{port: 8080}]
"""
