; Ruby call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string) @seed (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: ENV["X"], ENV.fetch("X", "d"), ENV.fetch("X") { "d" }
((element_reference object: (constant) @_fn . (_) @env.name) @env
  (#eq? @_fn "ENV"))

((call
   receiver: (constant) @_fn method: (identifier) @_m
   arguments: (argument_list . (_) @env.name . (_)? @env.default)) @env
  (#eq? @_fn "ENV") (#eq? @_m "fetch"))

((call
   receiver: (constant) @_fn method: (identifier) @_m
   arguments: (argument_list . (_) @env.name .)
   block: (block body: (block_body . (_) @env.default .))) @env
  (#eq? @_fn "ENV") (#eq? @_m "fetch"))

; ---- HTTP clients
((call
   receiver: (scope_resolution scope: (constant) @_n name: (constant) @_fn)
   method: (identifier) @_m
   arguments: (argument_list . (_) @target))
  (#eq? @_n "Net") (#eq? @_fn "HTTP") (#any-of? @_m "get" "get_response" "post" "post_form"))

((call
   receiver: (scope_resolution scope: (constant) @_n name: (constant) @_fn)
   method: (identifier) @_m
   arguments: (argument_list . (_) @target.host . (_)? @target.port))
  (#eq? @_n "Net") (#eq? @_fn "HTTP") (#any-of? @_m "new" "start"))

((call
   receiver: (constant) @_fn method: (identifier) @_m
   arguments: (argument_list . [(string) (identifier) (constant) (binary) (call) (element_reference) (instance_variable)] @target))
  (#any-of? @_fn "HTTParty" "RestClient" "Faraday" "Excon" "Typhoeus" "HTTP" "HTTPX" "Bunny" "Sequel" "PG")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "new" "connect"))

((call
   receiver: [(constant) @_fn (scope_resolution name: (constant) @_fn)]
   method: (identifier) @_m
   arguments: (argument_list (pair key: (hash_key_symbol) @_k value: (_) @target)))
  (#any-of? @_fn "Faraday" "Redis" "Bunny" "PG" "Client") (#any-of? @_m "new" "connect")
  (#any-of? @_k "url" "uri"))

; host alone (the driver's default port), then host and port: an optional
; node whose predicate fails would drop the whole match
((call
   receiver: [(constant) @_fn (scope_resolution name: (constant) @_fn)]
   method: (identifier) @_m
   arguments: (argument_list
     (pair key: (hash_key_symbol) @_h value: (_) @target.host)))
  (#set! scheme "redis") (#eq? @_fn "Redis") (#eq? @_m "new") (#eq? @_h "host"))

((call
   receiver: [(constant) @_fn (scope_resolution name: (constant) @_fn)]
   method: (identifier) @_m
   arguments: (argument_list
     (pair key: (hash_key_symbol) @_h value: (_) @target.host)
     (pair key: (hash_key_symbol) @_p value: (_) @target.port)))
  (#set! scheme "redis") (#eq? @_fn "Redis") (#eq? @_m "new") (#eq? @_h "host") (#eq? @_p "port"))

((call
   receiver: (scope_resolution scope: (constant) @_n name: (constant) @_fn)
   method: (identifier) @_m
   arguments: (argument_list . (_) @target))
  (#set! scheme "mongodb") (#eq? @_n "Mongo") (#eq? @_fn "Client") (#eq? @_m "new"))

; ---- dRuby: DRbObject.new_with_uri("druby://users:8787") is a remote object whose methods
; the program calls over TCP; DRbObject.new(nil, uri) the same with its object first
((call
   receiver: [(constant) @_fn (scope_resolution name: (constant) @_fn)]
   method: (identifier) @_m
   arguments: (argument_list . (_) @target))
  (#eq? @_fn "DRbObject") (#eq? @_m "new_with_uri"))

((call
   receiver: [(constant) @_fn (scope_resolution name: (constant) @_fn)]
   method: (identifier) @_m
   arguments: (argument_list . (nil) . (_) @target))
  (#eq? @_fn "DRbObject") (#eq? @_m "new"))

; ---- gRPC: Catalog::Stub.new("catalog:50051", :this_channel_is_insecure)
((call
   receiver: (scope_resolution name: (constant) @_fn)
   method: (identifier) @_m
   arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#eq? @_fn "Stub") (#eq? @_m "new"))

; ---- string building
((call method: (constant) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#eq? @_fn "URI"))

((call receiver: (constant) @_u method: (identifier) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#eq? @_u "URI") (#eq? @_fn "parse"))

((call receiver: (constant) @_u method: (identifier) @_fn arguments: (argument_list) @form.args) @form
  (#set! form "join") (#eq? @_u "URI") (#eq? @_fn "join"))

((call method: (identifier) @_fn arguments: (argument_list . (_) @form.string) @form.args) @form
  (#set! form "printf") (#any-of? @_fn "format" "sprintf"))

((call receiver: (_) @form.value method: (identifier) @_fn) @form
  (#any-of? @_fn "to_s" "strip" "chomp"))

; ---- the program's own listeners
((call method: (identifier) @_fn arguments: (argument_list . (simple_symbol) @_s) @listen)
  (#eq? @_fn "set") (#any-of? @_s ":bind" ":port"))

((call method: (identifier) @_fn arguments: (argument_list) @listen)
  (#any-of? @_fn "bind" "listen" "port" "run!"))

((call receiver: (constant) @_fn method: (identifier) @_m arguments: (argument_list) @listen)
  (#any-of? @_fn "TCPServer" "HTTPServer") (#eq? @_m "new"))

; ---- messages: puts, loggers, exceptions
((call method: (identifier) @_fn arguments: (argument_list) @quiet)
  (#any-of? @_fn "puts" "print" "p" "pp" "warn" "raise" "fail" "abort"))

((call receiver: (_) @_recv method: (identifier) @_fn arguments: (argument_list) @quiet)
  (#match? @_recv "(?i)(log|logger|stderr|stdout)$")
  (#any-of? @_fn "debug" "info" "warn" "error" "fatal" "unknown" "puts" "print" "write"))

; ---- URLs handed to browsers, not dialled: ActionCable's consumer URL, asset hosts, the
; origins a browser may come from, the host of links in mail
((assignment left: (call receiver: (_) @_recv method: (identifier) @_fn) right: (_) @idle)
  (#match? @_recv "action_cable$") (#any-of? @_fn "url" "allowed_request_origins"))
((assignment left: (call method: (identifier) @_fn) right: (_) @idle)
  (#any-of? @_fn "asset_host" "default_url_options"))

;; section: definitions

(assignment left: [(identifier) (constant)] @def.name right: (_) @def.value)
(assignment left: (left_assignment_list) @def.name right: (_) @def.value)
(assignment left: [(instance_variable) (class_variable)] @def.field right: (_) @def.value)
(operator_assignment left: [(identifier) (constant)] @def.name right: (_) @def.value)
(operator_assignment left: [(instance_variable) (class_variable)] @def.field right: (_) @def.value)
(method_parameters (identifier) @param)
(optional_parameter name: (identifier) @param value: (_) @param.default)
(keyword_parameter name: (identifier) @param value: (_)? @param.default)
(block_parameters (identifier) @param)
(lambda_parameters (identifier) @param)
(for pattern: (identifier) @loop)

;; section: calls

(call method: (identifier) @call.name arguments: (argument_list) @call.args) @call
(call receiver: (_) @call.object method: (identifier) @call.name arguments: (argument_list) @call.args) @call
; ``Broker.new("mq")`` calls ``Broker#initialize``: named by the class, as a bare call
((call receiver: (constant) @call.name method: (identifier) @_new arguments: (argument_list) @call.args) @call
  (#eq? @_new "new"))
