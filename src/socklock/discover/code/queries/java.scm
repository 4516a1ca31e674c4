; Java call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string_literal) @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: System.getenv("X"), System.getenv().getOrDefault("X", "d")
((method_invocation
   object: (identifier) @_s name: (identifier) @_fn
   arguments: (argument_list . (_) @env.name)) @env
  (#eq? @_s "System") (#eq? @_fn "getenv"))

((method_invocation
   object: (method_invocation object: (identifier) @_s name: (identifier) @_fn)
   name: (identifier) @_m
   arguments: (argument_list . (_) @env.name . (_) @env.default)) @env
  (#eq? @_s "System") (#eq? @_fn "getenv") (#eq? @_m "getOrDefault"))

; Spring: @Value("${catalogue.url:http://catalogue}") on a field or parameter
((annotation name: (identifier) @_fn arguments: (annotation_argument_list . (string_literal) @env.name)) @env
  (#set! env "spring") (#eq? @_fn "Value"))

; Spring: @FeignClient(url = "${orders.url}")
((annotation
   name: (identifier) @_fn
   arguments: (annotation_argument_list
     (element_value_pair key: (identifier) @_k value: (string_literal) @env.name) @env))
  (#set! env "spring") (#eq? @_fn "FeignClient") (#eq? @_k "url") (#match? @env.name "^\"\\$\\{"))

;; ---- service-discovery names (socklock/discover/names.py): resolved to the workload by name
; Spring Cloud OpenFeign: @FeignClient(name = "orders") on an interface calls that service
; (a literal url = "..." wins over the name: Feign then calls the url, reported above)
((annotation
   name: (identifier) @_fn
   arguments: (annotation_argument_list
     (element_value_pair key: (identifier) @_k value: (_) @target)) @_args)
  (#set! service "feign") (#eq? @_fn "FeignClient") (#any-of? @_k "name" "value" "serviceId")
  (#not-match? @_args "\\burl\\s*="))

((annotation name: (identifier) @_fn arguments: (annotation_argument_list . (_) @target .))
  (#set! service "feign") (#eq? @_fn "FeignClient") (#not-match? @target "="))

; Micronaut declarative client: @Client(id = "orders") names a service id the discovery
; client (Consul, Eureka, Kubernetes) resolves; @Client("http://...") is a URL, read as a literal
((annotation
   name: (identifier) @_fn
   arguments: (annotation_argument_list
     (element_value_pair key: (identifier) @_k value: (_) @target)))
  (#set! service "micronaut") (#eq? @_fn "Client") (#eq? @_k "id"))

; Spring Cloud: discoveryClient.getInstances("orders"), loadBalancerClient.choose("orders");
; Netflix Eureka: eurekaClient.getNextServerFromEureka("ORDERS", false)
((method_invocation object: (_) @_recv name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#set! service "discovery") (#match? @_recv "(?i)(discovery|balancer|eureka)[A-Za-z0-9_]*$")
  (#any-of? @_fn "getInstances" "choose" "getNextServerFromEureka" "getApplication"
    "getInstancesByVipAddress"))

; Dapr: daprClient.invokeMethod("orders", "method", data, HttpExtension.POST)
((method_invocation object: (_) @_recv name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#set! service "dapr") (#match? @_recv "(?i)dapr") (#eq? @_fn "invokeMethod"))

; Dapr HTTP proxying: HttpRequest.newBuilder(uri).header("dapr-app-id", "orders"), headers.set(...)
((method_invocation name: (identifier) @_fn arguments: (argument_list . (string_literal) @_k . (_) @target .))
  (#set! service "dapr") (#any-of? @_fn "header" "setHeader" "addHeader" "set" "add")
  (#match? @_k "^\"(?i:dapr-app-id)\"$"))

; @LoadBalanced on a RestTemplate/WebClient bean: this module's http://<name>/ hosts are
; service ids
((marker_annotation name: (identifier) @_fn) @declare
  (#set! declare "load-balanced") (#eq? @_fn "LoadBalanced"))

; @EnableZuulProxy / @EnableAdminServer: the proxy routes /<service-id>/** to, and Spring
; Boot Admin polls, every service registered in the registry (socklock/discover/registered.py)
((marker_annotation name: (identifier) @_fn) @declare
  (#set! declare "registry-wide") (#any-of? @_fn "EnableZuulProxy" "EnableAdminServer"))

; Lightbend (Typesafe) config: config.getString("services.orders.host"), a dotted key of
; application.conf (HOCON, ${?ENV} overrides included) that the join looks up
((method_invocation
   object: (_) @_recv name: (identifier) @_fn
   arguments: (argument_list . (string_literal) @env.name .)) @env
  (#match? @_recv "(?i)conf(ig|iguration)?$") (#match? @env.name "^\"[A-Za-z0-9_-]+[.][^\" ]+\"$")
  (#any-of? @_fn "getString" "getInt" "getLong" "getNumber"))

; Spring Environment: env.getProperty("orders.url", "http://orders")
((method_invocation
   object: (_) @_recv name: (identifier) @_fn
   arguments: (argument_list . (string_literal) @env.name . (_)? @env.default)) @env
  (#set! env "spring-property") (#match? @_recv "(?i)env(ironment)?$") (#any-of? @_fn "getProperty" "getRequiredProperty"))

; @ConfigurationProperties(prefix = "shop.services") on a class or record (the prefix may be a
; constant: prefix = Props.PREFIX): each field is bound from shop.services.<field>, so from
; env SHOP_SERVICES_<FIELD> (relaxed binding)
((class_declaration
   (modifiers (annotation
     name: (identifier) @_fn
     arguments: (annotation_argument_list
       [(string_literal) @env.prefix
        (identifier) @env.prefix
        (field_access) @env.prefix
        (element_value_pair
          key: (identifier) @_k
          value: [(string_literal) (identifier) (field_access)] @env.prefix)])))
   body: (class_body
     (field_declaration
       declarator: (variable_declarator name: (identifier) @env.name value: (_)? @env.default) @env)))
  (#set! env "configuration-properties") (#eq? @_fn "ConfigurationProperties"))

((record_declaration
   (modifiers (annotation
     name: (identifier) @_fn
     arguments: (annotation_argument_list
       [(string_literal) @env.prefix
        (identifier) @env.prefix
        (field_access) @env.prefix
        (element_value_pair
          key: (identifier) @_k
          value: [(string_literal) (identifier) (field_access)] @env.prefix)])))
   parameters: (formal_parameters (formal_parameter name: (identifier) @env.name) @env))
  (#set! env "configuration-properties") (#eq? @_fn "ConfigurationProperties"))

; ---- HTTP clients
((method_invocation name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#any-of? @_fn "getForObject" "getForEntity" "postForObject" "postForEntity"
    "postForLocation" "patchForObject" "headForHeaders" "optionsForAllow"))

((method_invocation object: (_) @_fn name: (identifier) @_m arguments: (argument_list . (_) @target))
  (#match? @_fn "(?i)rest") (#any-of? @_m "exchange" "put" "delete" "execute"))

((method_invocation object: (identifier) @_r name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#any-of? @_r "HttpRequest" "WebClient") (#any-of? @_fn "newBuilder" "create"))

((method_invocation name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#eq? @_fn "baseUrl"))

((method_invocation name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#set! strength "weak") (#any-of? @_fn "uri" "url"))

((method_invocation
   object: (object_creation_expression type: (type_identifier) @_u arguments: (argument_list . (_) @target))
   name: (identifier) @_fn)
  (#eq? @_u "URL") (#any-of? @_fn "openConnection" "openStream"))

; ---- gRPC: ManagedChannelBuilder.forTarget(t), .forAddress(host, port); stubs on a channel
((method_invocation object: (identifier) @_b name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forTarget"))

((method_invocation
   object: (identifier) @_b name: (identifier) @_fn
   arguments: (argument_list . (_) @target.host . (_) @target.port .))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((method_invocation object: (identifier) @_g name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#eq? @_g "Grpc") (#eq? @_fn "newChannelBuilder"))

((method_invocation object: (identifier) @_b name: (identifier) @_fn arguments: (argument_list . (_) @form.value)) @form
  (#match? @_b "ChannelBuilder$|^Grpc$") (#any-of? @_fn "forTarget" "newChannelBuilder"))

((method_invocation object: (identifier) @_b name: (identifier) @_fn arguments: (argument_list) @form.args) @form
  (#set! form "join") (#set! sep ":") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((method_invocation object: (method_invocation) @form.value) @form
  (#match? @form.value "^(Managed|Netty|OkHttp)?ChannelBuilder\\b|^Grpc\\b"))

((method_invocation object: (identifier) @_g name: (identifier) @_fn arguments: (argument_list . (_) @stub.conn))
  (#match? @_g "Grpc$") (#match? @_fn "^new[A-Za-z]*Stub$"))

; ---- databases, brokers, sockets
((method_invocation object: (identifier) @_d name: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#eq? @_d "DriverManager") (#eq? @_fn "getConnection"))

((method_invocation object: (identifier) @_fn name: (identifier) @_m arguments: (argument_list . (_) @target))
  (#any-of? @_fn "MongoClients" "RedisClient" "Nats") (#any-of? @_m "create" "connect"))

((object_creation_expression type: (type_identifier) @_fn arguments: (argument_list . (_) @target .))
  (#set! strength "weak") (#any-of? @_fn "MongoClient" "MongoClientURI" "ConnectionString" "Jedis" "JedisPool"))

((object_creation_expression
   type: (type_identifier) @_fn
   arguments: (argument_list . (_) @target.host . (_) @target.port .))
  (#any-of? @_fn "Socket" "Jedis" "JedisPool" "MongoClient"))

; Apache HttpComponents' target host (Elasticsearch's RestClient.builder(new HttpHost(...)))
((object_creation_expression
   type: (type_identifier) @_fn
   arguments: (argument_list . (_) @target.host . (_) @target.port))
  (#set! scheme "http") (#eq? @_fn "HttpHost"))

((method_invocation object: (_) @_fn name: (identifier) @_m arguments: (argument_list . (_) @target))
  (#match? @_fn "(?i)factory$") (#eq? @_m "setUri"))

((method_invocation object: (_) @_fn name: (identifier) @_m arguments: (argument_list . (_) @target.host))
  (#set! scheme "amqp") (#match? @_fn "(?i)factory$") (#eq? @_m "setHost"))

((method_invocation name: (identifier) @_m arguments: (argument_list . (_) @_fn . (_) @target))
  (#any-of? @_m "put" "setProperty") (#match? @_fn "(?i)bootstrap"))

; ---- string building
((method_invocation object: (identifier) @_s name: (identifier) @_fn arguments: (argument_list . (_) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_s "String") (#eq? @_fn "format"))

((method_invocation object: (_) @form.string name: (identifier) @_fn arguments: (argument_list) @form.args) @form
  (#set! form "printf") (#eq? @_fn "formatted"))

((method_invocation object: (identifier) @_s name: (identifier) @_fn arguments: (argument_list . (_) @form.string) @form.args) @form
  (#set! form "braces") (#eq? @_s "MessageFormat") (#eq? @_fn "format"))

; Spring's UriComponentsBuilder: fromHttpUrl(base).path("/x").toUriString(),
; newInstance().scheme("http").host(h).port(p).path("/x").build().toUri()
((method_invocation object: (identifier) @_fn name: (identifier) @_m arguments: (argument_list . (_) @form.value .)) @form
  (#match? @_fn "UriComponentsBuilder$") (#any-of? @_m "fromHttpUrl" "fromUriString" "fromUri" "fromPath"))

((method_invocation object: (identifier) @_fn name: (identifier) @_m arguments: (argument_list) @form.args) @form
  (#set! form "join") (#match? @_fn "UriComponentsBuilder$") (#eq? @_m "newInstance"))

((method_invocation object: (_) @form.value @_chain name: (identifier) @_m arguments: (argument_list . (_) @form.part .)) @form
  (#set! form "uri-builder") (#match? @_chain "UriComponentsBuilder")
  (#any-of? @_m "scheme" "host" "port" "path" "pathSegment"))

((method_invocation object: (_) @form.value @_chain name: (identifier) @_m) @form
  (#match? @_chain "UriComponentsBuilder")
  (#any-of? @_m "toUriString" "toUri" "build" "encode" "buildAndExpand" "expand" "queryParam"
    "queryParams" "query" "fragment" "uriVariables" "queryParamIfPresent"))

((method_invocation object: (_) @form.part name: (identifier) @_fn arguments: (argument_list) @form.args) @form
  (#set! form "join") (#any-of? @_fn "concat" "append"))

((method_invocation object: (_) @form.value name: (identifier) @_fn arguments: (argument_list . (_) @form.part .)) @form
  (#set! form "default") (#eq? @_fn "orElse"))

; a DNS lookup of a host is that host: InetAddress.getByName(h).getHostAddress()
((method_invocation object: (identifier) @_c name: (identifier) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#eq? @_c "InetAddress") (#any-of? @_fn "getByName" "getAllByName"))

((method_invocation object: (_) @form.value name: (identifier) @_fn arguments: (argument_list) @_a) @form
  (#any-of? @_fn "getHostAddress" "getHostName") (#eq? @_a "()") (#match? @form.value "^InetAddress\\."))

; System.getenv("X") == null ? "default" : System.getenv("X"), and the != form
((ternary_expression
   condition: (binary_expression left: (_) @_l operator: "==" right: (null_literal))
   consequence: (_) @form.part alternative: (_) @form.value) @form
  (#set! form "default") (#eq? @_l @form.value))

((ternary_expression
   condition: (binary_expression left: (_) @_l operator: "!=" right: (null_literal))
   consequence: (_) @form.value alternative: (_) @form.part) @form
  (#set! form "default") (#eq? @_l @form.value))

((method_invocation object: (_) @form.value name: (identifier) @_fn arguments: (argument_list) @_args) @form
  (#any-of? @_fn "toString" "trim" "toLowerCase" "toURL" "toURI" "build") (#eq? @_args "()"))

((method_invocation object: (identifier) @_c name: (identifier) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#any-of? @_c "String" "Integer" "URI" "Optional" "Objects")
  (#any-of? @_fn "valueOf" "parseInt" "toString" "create" "ofNullable" "of" "requireNonNull"))

((object_creation_expression type: (type_identifier) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#any-of? @_fn "URL" "URI" "StringBuilder" "String"))

; ---- the program's own listeners
((method_invocation object: (identifier) @_fn name: (identifier) @_m arguments: (argument_list) @listen)
  (#match? @_fn "ServerBuilder$") (#eq? @_m "forPort"))

((object_creation_expression type: (type_identifier) @_fn arguments: (argument_list) @listen)
  (#eq? @_fn "ServerSocket"))

; ---- messages: System.out, loggers, exceptions, documentation annotations
((method_invocation
   object: (field_access object: (identifier) @_s field: (identifier) @_o)
   arguments: (argument_list) @quiet)
  (#eq? @_s "System") (#any-of? @_o "out" "err"))

((method_invocation object: (_) @_recv name: (identifier) @_fn arguments: (argument_list) @quiet)
  (#match? @_recv "(?i)log(ger)?$")
  (#any-of? @_fn "trace" "debug" "info" "warn" "error" "fatal" "log" "printf" "warning" "severe"))

(throw_statement) @quiet

((annotation name: (identifier) @_fn arguments: (_) @quiet)
  (#match? @_fn "^(Xml|Schema|Api|Operation|Tag|Contact|License|OpenAPIDefinition|Info|Deprecated|SecurityScheme|OAuthFlow|ExternalDocumentation|Servers?$)"))

((element_value_pair key: (identifier) @_k value: (_) @quiet)
  (#any-of? @_k "namespace" "description" "message" "notes"))

; a host-name value object: new Hostname("payment") (a bare host; the port is the Service's)
((object_creation_expression type: (type_identifier) @_fn arguments: (argument_list . (string_literal) @target.host .))
  (#set! strength "weak") (#any-of? @_fn "Hostname" "HostName" "Host"))

;; section: definitions

(variable_declarator name: (identifier) @def.name value: (_) @def.value)
(assignment_expression left: (identifier) @def.name right: (_) @def.value)
(assignment_expression
  left: (field_access object: (this) field: (identifier) @def.field)
  right: (_) @def.value)
((field_declaration
   (modifiers (annotation name: (identifier) @_a) @def.value)
   declarator: (variable_declarator name: (identifier) @def.name))
  (#eq? @_a "Value"))
(formal_parameter name: (identifier) @param)
((formal_parameter
   (modifiers (annotation name: (identifier) @_a) @param.default)
   name: (identifier) @param)
  (#eq? @_a "Value"))
(spread_parameter (variable_declarator name: (identifier) @param))
(catch_formal_parameter name: (identifier) @param)
(lambda_expression parameters: (identifier) @param)
(inferred_parameters (identifier) @param)
(enhanced_for_statement name: (identifier) @loop)

;; section: calls

(method_invocation object: (_)? @call.object name: (identifier) @call.name arguments: (argument_list) @call.args) @call
(object_creation_expression type: (type_identifier) @call.name arguments: (argument_list) @call.args) @call
