; C++ call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
([(string_literal) (raw_string_literal)] @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- a host read from a JSON config: config_json["user-service"]["addr"]
((subscript_expression
   argument: (_) @_base
   indices: (subscript_argument_list . (string_literal) @_fn .)) @seed
  (#match? @_fn "^\"(addr|address|host|hostname|url|uri|endpoint)\"$")
  (#not-match? @_base "^(std::)?getenv"))

; ---- env reads: getenv("X"), std::getenv("X"), secure_getenv("X")
((call_expression
   function: [(identifier) @_fn (qualified_identifier name: (identifier) @_fn)]
   arguments: (argument_list . (_) @env.name .)) @env
  (#any-of? @_fn "getenv" "secure_getenv"))

; ---- gRPC: grpc::CreateChannel(target, creds); X::NewStub(channel)
((call_expression
   function: [(identifier) @_fn (qualified_identifier name: (identifier) @_fn)]
   arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#any-of? @_fn "CreateChannel" "CreateCustomChannel"))

((call_expression
   function: [(identifier) @_fn (qualified_identifier name: (identifier) @_fn)]
   arguments: (argument_list . (_) @form.value)) @form
  (#any-of? @_fn "CreateChannel" "CreateCustomChannel"))

((call_expression
   function: (qualified_identifier name: (identifier) @_fn)
   arguments: (argument_list . (_) @stub.conn))
  (#eq? @_fn "NewStub"))

; ---- Thrift: new TSocket(host, port), std::make_shared<TSocket>(host, port), TSocket s(host, port)
((new_expression
   type: [(type_identifier) @_fn (qualified_identifier name: (type_identifier) @_fn)]
   arguments: (argument_list . (_) @target.host . (_) @target.port))
  (#any-of? @_fn "TSocket" "TSSLSocket" "TNonblockingSocket"))

((call_expression
   function: (qualified_identifier
     name: (template_function
       name: (identifier) @_m
       arguments: (template_argument_list . (type_descriptor) @_fn .)))
   arguments: (argument_list . (_) @target.host . (_) @target.port))
  (#any-of? @_m "make_shared" "make_unique") (#match? @_fn "(TSocket|TSSLSocket|TNonblockingSocket)$"))

((declaration
   type: [(type_identifier) @_fn (qualified_identifier name: (type_identifier) @_fn)]
   declarator: (init_declarator value: (argument_list . (_) @target.host . (_) @target.port)))
  (#any-of? @_fn "TSocket" "TSSLSocket"))

; ---- HTTP: libcurl, cpp-httplib, cpprestsdk
((call_expression
   function: (identifier) @_fn
   arguments: (argument_list . (_) . (identifier) @_o . (_) @target))
  (#set! guess "http") (#eq? @_fn "curl_easy_setopt") (#eq? @_o "CURLOPT_URL"))

((declaration
   type: [(type_identifier) @_fn (qualified_identifier name: (type_identifier) @_fn)]
   declarator: (init_declarator value: (argument_list . (_) @target)))
  (#set! strength "weak") (#any-of? @_fn "Client" "SSLClient" "http_client"))

; ---- databases, caches, brokers
((call_expression
   function: (identifier) @_fn
   arguments: (argument_list . (_) @target.host . (_) @target.port))
  (#set! scheme "redis") (#any-of? @_fn "redisConnect" "redisAsyncConnect" "redisConnectWithTimeout"))

((call_expression
   function: (identifier) @_fn
   arguments: (argument_list . (_) @target))
  (#any-of? @_fn "mongoc_uri_new" "mongoc_client_new" "mongoc_uri_new_with_error"))

((call_expression
   function: (identifier) @_fn
   arguments: (argument_list . (_) . (_) @target.host . (_) @target.port))
  (#set! scheme "memcached") (#eq? @_fn "memcached_server_add"))

((call_expression
   function: (identifier) @_fn
   arguments: (argument_list . (_) . (_) @target.host . (_) @target.port))
  (#set! scheme "amqp") (#eq? @_fn "amqp_socket_open"))

((declaration
   type: (qualified_identifier name: (type_identifier) @_fn)
   declarator: (init_declarator value: (argument_list . (_) @target)))
  (#set! strength "weak") (#any-of? @_fn "Redis" "RedisCluster"))

; ---- string building: std::string(x), std::to_string(p), x.c_str()
((call_expression
   function: (qualified_identifier name: [(identifier) (type_identifier)] @_fn)
   arguments: (argument_list . (_) @form.value .)) @form
  (#any-of? @_fn "string" "to_string" "move"))

((call_expression
   function: (field_expression argument: (_) @form.value field: (field_identifier) @_fn)
   arguments: (argument_list) @_args) @form
  (#any-of? @_fn "c_str" "data" "str") (#eq? @_args "()"))

((call_expression
   function: (qualified_identifier name: (identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#eq? @_fn "StrCat"))

((call_expression
   function: (qualified_identifier name: (identifier) @_fn)
   arguments: (argument_list . (_) @form.string) @form.args) @form
  (#set! form "braces") (#eq? @_fn "format"))

; getenv("X") ? getenv("X") : "default"
((conditional_expression
   condition: (_) @_c consequence: (_) @form.value alternative: (_) @form.part) @form
  (#set! form "default") (#eq? @_c @form.value))

; ---- the program's own listeners
((call_expression
   function: (field_expression field: (field_identifier) @_fn)
   arguments: (argument_list) @listen)
  (#any-of? @_fn "AddListeningPort" "listen" "bind"))

((new_expression type: (type_identifier) @_fn arguments: (argument_list) @listen)
  (#any-of? @_fn "TServerSocket" "TNonblockingServerSocket"))

((call_expression
   function: (qualified_identifier
     name: (template_function arguments: (template_argument_list . (type_descriptor) @_fn .)))
   arguments: (argument_list) @listen)
  (#match? @_fn "ServerSocket$"))

; ---- messages: streams to cout/cerr and loggers, printf, exceptions
((expression_statement (binary_expression) @quiet)
  (#match? @quiet "^(std::)?(cout|cerr|clog)\\b|^[A-Z_]*LOG[A-Z_]*\\s*\\("))

((call_expression function: [(identifier) @_fn (qualified_identifier name: (identifier) @_fn)] arguments: (argument_list) @quiet)
  (#any-of? @_fn "printf" "fprintf" "puts" "perror" "syslog" "info" "warn" "error" "debug" "critical" "trace"))

(throw_statement) @quiet

;; section: definitions

(init_declarator declarator: (identifier) @def.name value: (_) @def.value)
(init_declarator declarator: (pointer_declarator declarator: (identifier) @def.name) value: (_) @def.value)
(init_declarator declarator: (reference_declarator (identifier) @def.name) value: (_) @def.value)
(assignment_expression left: (identifier) @def.name right: (_) @def.value)
(assignment_expression
  left: (field_expression argument: (this) field: (field_identifier) @def.field)
  right: (_) @def.value)
(field_initializer (field_identifier) @def.field (argument_list . (_) @def.value .))
(field_declaration declarator: (field_identifier) @def.field default_value: (_) @def.value)
(field_declaration declarator: (pointer_declarator declarator: (field_identifier) @def.field) default_value: (_) @def.value)
(parameter_declaration declarator: (identifier) @param)
(parameter_declaration declarator: (reference_declarator (identifier) @param))
(parameter_declaration declarator: (pointer_declarator declarator: (identifier) @param))
(optional_parameter_declaration declarator: (identifier) @param default_value: (_) @param.default)
(for_range_loop declarator: (identifier) @loop)
(for_range_loop declarator: (reference_declarator (identifier) @loop))

;; section: calls

(call_expression function: (identifier) @call.name arguments: (argument_list) @call.args) @call
(call_expression
  function: (field_expression argument: (_) @call.object field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @call
