; Scala call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
([(string) (interpolated_string_expression)] @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: sys.env("X"), sys.env.getOrElse("X", "d"), sys.env.get("X"), System.getenv("X")
((call_expression
   function: (field_expression value: (identifier) @_s field: (identifier) @_fn)
   arguments: (arguments . (_) @env.name .)) @env
  (#eq? @_s "sys") (#eq? @_fn "env"))

((call_expression
   function: (field_expression
     value: (field_expression value: (identifier) @_s field: (identifier) @_fn)
     field: (identifier) @_m)
   arguments: (arguments . (_) @env.name . (_)? @env.default .)) @env
  (#eq? @_s "sys") (#eq? @_fn "env") (#any-of? @_m "getOrElse" "get" "apply"))

((call_expression
   function: (field_expression value: (identifier) @_s field: (identifier) @_fn)
   arguments: (arguments . (_) @env.name .)) @env
  (#eq? @_s "System") (#eq? @_fn "getenv"))

; Lightbend (Typesafe) config: config.getString("services.orders.host"), Play's
; configuration.getString(...): a dotted key of application.conf that the join looks up
((call_expression
   function: (field_expression value: (_) @_recv field: (identifier) @_fn)
   arguments: (arguments . (string) @env.name .)) @env
  (#match? @_recv "(?i)conf(ig|iguration)?$") (#match? @env.name "^\"[A-Za-z0-9_-]+[.][^\" ]+\"$")
  (#any-of? @_fn "getString" "getInt" "getLong" "getNumber"))

; ---- akka-http: Http().singleRequest(HttpRequest(uri = ...)), Get("..."), Uri("...")
((call_expression
   function: (identifier) @_fn
   arguments: (arguments (assignment_expression left: (identifier) @_k right: (_) @target)))
  (#eq? @_fn "HttpRequest") (#eq? @_k "uri"))

((call_expression
   function: (identifier) @_fn
   arguments: (arguments . (_) @_m . [(string) (interpolated_string_expression) (identifier) (infix_expression) (call_expression)] @target))
  (#eq? @_fn "HttpRequest") (#match? @_m "^(HttpMethods\\.)?[A-Z]+$"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @target))
  (#any-of? @_fn "Get" "Post" "Put" "Patch" "Delete" "Head"))

((call_expression
   function: (field_expression field: (identifier) @_fn)
   arguments: (arguments . (_) @target.host . (_) @target.port))
  (#any-of? @_fn "outgoingConnection" "cachedHostConnectionPool" "newHostConnectionPool"))

; ---- sttp: basicRequest.get(uri"..."), quickRequest.post(uri); Play WS: ws.url(x)
((call_expression
   function: (field_expression value: (identifier) @_fn field: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "basicRequest" "quickRequest" "emptyRequest")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "options" "method"))

((call_expression
   function: (field_expression value: (_) @_fn field: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! strength "weak") (#match? @_fn "(?i)(ws|client|http)$") (#any-of? @_m "url" "get" "post" "expect"))

; ---- gRPC: ManagedChannelBuilder.forAddress(host, port) / forTarget(t); XGrpc.stub(channel)
((call_expression
   function: (field_expression value: (identifier) @_b field: (identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forTarget"))

((call_expression
   function: (field_expression value: (identifier) @_b field: (identifier) @_fn)
   arguments: (arguments . (_) @target.host . (_) @target.port .))
  (#set! kind "grpc") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((call_expression
   function: (field_expression value: (identifier) @_b field: (identifier) @_fn)
   arguments: (arguments . (_) @form.value)) @form
  (#match? @_b "ChannelBuilder$") (#eq? @_fn "forTarget"))

((call_expression
   function: (field_expression value: (identifier) @_b field: (identifier) @_fn)
   arguments: (arguments) @form.args) @form
  (#set! form "join") (#set! sep ":") (#match? @_b "ChannelBuilder$") (#eq? @_fn "forAddress"))

((call_expression function: (field_expression value: (call_expression) @form.value)) @form
  (#match? @form.value "^(Managed|Netty|OkHttp)?ChannelBuilder\\b"))

((call_expression
   function: (field_expression value: (identifier) @_g field: (identifier) @_fn)
   arguments: (arguments . (_) @stub.conn))
  (#match? @_g "Grpc$") (#match? @_fn "^(stub|blockingStub|new[A-Za-z]*Stub)$"))

; ---- databases and brokers
((call_expression
   function: (field_expression value: (identifier) @_d field: (identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#eq? @_d "DriverManager") (#eq? @_fn "getConnection"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @target .))
  (#set! strength "weak") (#any-of? @_fn "MongoClient" "RedisClient"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @target.host . (_) @target.port))
  (#set! scheme "redis") (#any-of? @_fn "RedisClient" "Jedis" "JedisPool"))

; ---- string building: "..".format(..), String.format, Uri(..), .toString
((call_expression
   function: (field_expression value: (_) @form.string field: (identifier) @_fn)
   arguments: (arguments) @form.args) @form
  (#set! form "printf") (#eq? @_fn "format") (#not-eq? @form.string "String"))

((call_expression
   function: (field_expression value: (identifier) @_s field: (identifier) @_fn)
   arguments: (arguments . (_) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_s "String") (#eq? @_fn "format"))

((call_expression
   function: (field_expression value: (_) @form.value field: (identifier) @_fn)
   arguments: (arguments . (_) @form.part .)) @form
  (#set! form "default") (#eq? @_fn "getOrElse"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @form.value .)) @form
  (#any-of? @_fn "Uri" "URI" "URL"))

; (``.get`` unwraps an Option: Play's ``configuration.getString("x").get``)
((field_expression value: (_) @form.value field: (identifier) @_fn) @form
  (#any-of? @_fn "toString" "trim" "toLowerCase" "get"))

; ---- the program's own listeners
((call_expression function: (field_expression field: (identifier) @_fn) arguments: (arguments) @listen)
  (#any-of? @_fn "newServerAt" "bindAndHandle" "bindHttp" "bind"))

((call_expression function: (field_expression value: (identifier) @_fn field: (identifier) @_m) arguments: (arguments) @listen)
  (#match? @_fn "ServerBuilder$") (#eq? @_m "forPort"))

; ---- messages: println, loggers, exceptions, preconditions
((call_expression function: (identifier) @_fn arguments: (arguments) @quiet)
  (#any-of? @_fn "println" "print" "printf" "require" "assert" "sys.error"))

((call_expression function: (field_expression value: (_) @_recv field: (identifier) @_fn) arguments: (arguments) @quiet)
  (#match? @_recv "(?i)(log|logger)$")
  (#any-of? @_fn "trace" "debug" "info" "warn" "warning" "error"))

(throw_expression) @quiet

;; section: definitions

(val_definition pattern: (identifier) @def.name value: (_) @def.value)
(var_definition pattern: (identifier) @def.name value: (_) @def.value)
(assignment_expression left: (identifier) @def.name right: (_) @def.value)
(assignment_expression
  left: (field_expression value: (identifier) @_t field: (identifier) @def.field)
  right: (_) @def.value
  (#eq? @_t "this"))
(class_parameter name: (identifier) @param default_value: (_)? @param.default)
(parameter name: (identifier) @param default_value: (_)? @param.default)
(binding name: (identifier) @param)
(enumerator . (identifier) @loop)

;; section: calls

(call_expression function: (identifier) @call.name arguments: (arguments) @call.args) @call
(call_expression
  function: (field_expression value: (_) @call.object field: (identifier) @call.name)
  arguments: (arguments) @call.args) @call
