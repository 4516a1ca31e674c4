; Kotlin call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
([(string_literal) (multiline_string_literal)] @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: System.getenv("X"), System.getenv().getOrDefault("X", "d")
((call_expression
   (navigation_expression (identifier) @_s (identifier) @_fn)
   (value_arguments . (value_argument (_) @env.name))) @env
  (#eq? @_s "System") (#eq? @_fn "getenv"))

((call_expression
   (navigation_expression
     (call_expression (navigation_expression (identifier) @_s (identifier) @_fn))
     (identifier) @_m)
   (value_arguments . (value_argument (_) @env.name) . (value_argument (_) @env.default))) @env
  (#eq? @_s "System") (#eq? @_fn "getenv") (#eq? @_m "getOrDefault"))

; Lightbend (Typesafe) config: config.getString("services.orders.host"), a dotted key of
; application.conf that the join looks up
((call_expression
   (navigation_expression (_) @_recv (identifier) @_fn)
   (value_arguments . (value_argument (string_literal) @env.name) .)) @env
  (#match? @_recv "(?i)conf(ig|iguration)?$") (#match? @env.name "^\"[A-Za-z0-9_-]+[.][^\" ]+\"$")
  (#any-of? @_fn "getString" "getInt" "getLong" "getNumber"))

; Spring: @Value("\${catalogue.url:http://catalogue}") on a property or constructor parameter
((annotation
   (constructor_invocation
     (user_type (identifier) @_fn)
     (value_arguments . (value_argument (string_literal) @env.name)))) @env
  (#set! env "spring") (#eq? @_fn "Value"))

; Spring Environment: env.getProperty("orders.url", "http://orders")
((call_expression
   (navigation_expression (_) @_recv (identifier) @_fn)
   (value_arguments . (value_argument (string_literal) @env.name) . (value_argument (_) @env.default)?)) @env
  (#set! env "spring-property") (#match? @_recv "(?i)env(ironment)?$")
  (#any-of? @_fn "getProperty" "getRequiredProperty"))

;; ---- service-discovery names (socklock/discover/names.py), as in java.scm
; Spring Cloud OpenFeign: @FeignClient(name = "orders"); a literal url = "..." wins
((annotation
   (constructor_invocation
     (user_type (identifier) @_fn)
     (value_arguments (value_argument (identifier) @_k (_) @target)) @_args))
  (#set! service "feign") (#eq? @_fn "FeignClient") (#any-of? @_k "name" "value" "serviceId")
  (#not-match? @_args "\\burl\\s*="))

((annotation
   (constructor_invocation
     (user_type (identifier) @_fn)
     (value_arguments . (value_argument . (string_literal) @target) .)))
  (#set! service "feign") (#eq? @_fn "FeignClient"))

; discoveryClient.getInstances("orders"), loadBalancerClient.choose("orders"), Dapr invokeMethod
((call_expression
   (navigation_expression (_) @_recv (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#set! service "discovery") (#match? @_recv "(?i)(discovery|balancer|eureka)[A-Za-z0-9_]*$")
  (#any-of? @_fn "getInstances" "choose" "getNextServerFromEureka" "getApplication"
    "getInstancesByVipAddress"))

((call_expression
   (navigation_expression (_) @_recv (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#set! service "dapr") (#match? @_recv "(?i)dapr") (#eq? @_fn "invokeMethod"))

; @LoadBalanced on a RestTemplate/WebClient bean
((annotation (user_type (identifier) @_fn)) @declare
  (#set! declare "load-balanced") (#eq? @_fn "LoadBalanced"))

; @EnableZuulProxy / @EnableAdminServer: routes to / polls every registered service
((annotation (user_type (identifier) @_fn)) @declare
  (#set! declare "registry-wide") (#any-of? @_fn "EnableZuulProxy" "EnableAdminServer"))

; ---- HTTP clients: RestTemplate, WebClient, Ktor HttpClient, OkHttp Request.Builder().url()
((call_expression
   (navigation_expression (_) (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#any-of? @_fn "getForObject" "getForEntity" "postForObject" "postForEntity"
    "postForLocation" "patchForObject" "headForHeaders" "optionsForAllow"))

((call_expression
   (navigation_expression (_) @_fn (identifier) @_m)
   (value_arguments . (value_argument) @target))
  (#match? @_fn "(?i)rest") (#any-of? @_m "exchange" "put" "delete" "execute"))

((call_expression
   (navigation_expression (identifier) @_fn (identifier) @_m)
   (value_arguments . (value_argument) @target))
  (#eq? @_fn "WebClient") (#eq? @_m "create"))

((call_expression
   (navigation_expression (_) (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#eq? @_fn "baseUrl"))

; Ktor: client.get("http://..."), client.request(url) { ... }; a probable client call
((call_expression
   (navigation_expression (_) @_fn (identifier) @_m)
   (value_arguments . (value_argument) @target))
  (#set! strength "weak") (#match? @_fn "(?i)client$")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "options" "request"
    "prepareGet" "preparePost" "prepareRequest" "webSocket" "wss" "ws"))

; OkHttp Request.Builder().url(x), Ktor defaultRequest { url(x) }, WebClient .uri(x)
((call_expression
   (navigation_expression (_) (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#set! strength "weak") (#any-of? @_fn "url" "uri"))

((call_expression (identifier) @_fn (value_arguments . (value_argument) @target))
  (#set! strength "weak") (#any-of? @_fn "url"))

((call_expression
   (navigation_expression
     (call_expression (identifier) @_u (value_arguments . (value_argument) @target))
     (identifier) @_fn))
  (#eq? @_u "URL") (#any-of? @_fn "openConnection" "openStream" "readText"))

; ---- gRPC: ManagedChannelBuilder.forAddress(host, port) / forTarget(t); stubs on a channel
((call_expression
   (navigation_expression (identifier) @_b (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forTarget"))

((call_expression
   (navigation_expression (identifier) @_b (identifier) @_fn)
   (value_arguments . (value_argument) @target.host . (value_argument) @target.port .))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((call_expression
   (navigation_expression (identifier) @_b (identifier) @_fn)
   (value_arguments . (value_argument) @form.value)) @form
  (#match? @_b "ChannelBuilder$") (#eq? @_fn "forTarget"))

((call_expression
   (navigation_expression (identifier) @_b (identifier) @_fn)
   (value_arguments) @form.args) @form
  (#set! form "join") (#set! sep ":") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((call_expression (navigation_expression (call_expression) @form.value (identifier))) @form
  (#match? @form.value "^(Managed|Netty|OkHttp)?ChannelBuilder\\b"))

((call_expression
   (navigation_expression (identifier) @_g (identifier) @_fn)
   (value_arguments . (value_argument) @stub.conn))
  (#match? @_g "Grpc(Kt)?$") (#match? @_fn "^new[A-Za-z]*Stub$|CoroutineStub$"))

; ---- databases and brokers
((call_expression
   (navigation_expression (identifier) @_d (identifier) @_fn)
   (value_arguments . (value_argument) @target))
  (#eq? @_d "DriverManager") (#eq? @_fn "getConnection"))

((call_expression
   (navigation_expression (identifier) @_fn (identifier) @_m)
   (value_arguments . (value_argument) @target))
  (#any-of? @_fn "MongoClients" "RedisClient" "Nats" "KMongo") (#any-of? @_m "create" "connect" "createClient"))

((call_expression (identifier) @_fn (value_arguments . (value_argument) @target.host . (value_argument) @target.port .))
  (#set! scheme "redis") (#any-of? @_fn "Jedis" "JedisPool"))

((call_expression (navigation_expression (_) @_fn (identifier) @_m) (value_arguments . (value_argument) @target.host))
  (#set! scheme "amqp") (#match? @_fn "(?i)factory$") (#eq? @_m "setHost"))

((assignment
   left: (navigation_expression (_) @_fn (identifier) @_m)
   right: (_) @target.host)
  (#set! scheme "amqp") (#match? @_fn "(?i)factory$") (#eq? @_m "host"))

; ---- string building: String.format, "..".format(..), buildString, .toString()
((call_expression
   (navigation_expression (identifier) @_s (identifier) @_fn)
   (value_arguments . (value_argument) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_s "String") (#eq? @_fn "format"))

((call_expression
   (navigation_expression [(string_literal) (identifier)] @form.string (identifier) @_fn)
   (value_arguments) @form.args) @form
  (#set! form "printf") (#eq? @_fn "format"))

((call_expression (navigation_expression (_) @form.value (identifier) @_fn) (value_arguments) @_args) @form
  (#any-of? @_fn "toString" "trim" "lowercase" "toURI" "toHttpUrl" "build") (#eq? @_args "()"))

((call_expression (identifier) @_fn (value_arguments . (value_argument) @form.value .)) @form
  (#any-of? @_fn "URI" "URL" "requireNotNull" "checkNotNull"))

; ---- the program's own listeners
((call_expression (identifier) @_fn (value_arguments) @listen)
  (#eq? @_fn "embeddedServer"))

((call_expression (navigation_expression (identifier) @_fn (identifier) @_m) (value_arguments) @listen)
  (#match? @_fn "ServerBuilder$") (#eq? @_m "forPort"))

; ---- messages: println, loggers, exceptions, preconditions
((call_expression (identifier) @_fn (value_arguments) @quiet)
  (#any-of? @_fn "println" "print" "error" "require" "check" "TODO"))

((call_expression (navigation_expression (_) @_recv (identifier) @_fn) (value_arguments) @quiet)
  (#match? @_recv "(?i)(log|logger)$")
  (#any-of? @_fn "trace" "debug" "info" "warn" "error" "fatal" "log"))

(throw_expression) @quiet

;; section: definitions

(property_declaration (variable_declaration (identifier) @def.name) . "=" . (_) @def.value)
((property_declaration
   (modifiers (annotation (constructor_invocation (user_type (identifier) @_a))) @def.value)
   (variable_declaration (identifier) @def.name))
  (#eq? @_a "Value"))
(assignment left: (identifier) @def.name right: (_) @def.value)
(assignment
  left: (navigation_expression (this_expression) (identifier) @def.field)
  right: (_) @def.value)
(class_parameter (identifier) @param)
((class_parameter
   (modifiers (annotation (constructor_invocation (user_type (identifier) @_a))) @param.default)
   (identifier) @param)
  (#eq? @_a "Value"))
(class_parameter (identifier) @param . (_) . "=" . (_) @param.default)
(parameter (identifier) @param)
(function_value_parameters (parameter (identifier) @param) . "=" . (_) @param.default)
(lambda_parameters (variable_declaration (identifier) @param))
(for_statement (variable_declaration (identifier) @loop))

;; section: calls

(call_expression (identifier) @call.name (value_arguments) @call.args) @call
(call_expression (navigation_expression (_) @call.object (identifier) @call.name) (value_arguments) @call.args) @call
