; Lua (OpenResty) call targets. Capture names are documented in
; socklock/discover/code/captures.py. In every pattern that reports something, @_fn is
; the most selective word: the prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string) @seed (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: os.getenv("X")
((function_call
   name: (dot_index_expression table: (identifier) @_o field: (identifier) @_fn)
   arguments: (arguments . (_) @env.name .)) @env
  (#eq? @_o "os") (#eq? @_fn "getenv"))

; ---- resty.http: httpc:request_uri(url, opts); httpc:connect(host, port) or {host=, port=}
((function_call
   name: (method_index_expression method: (identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#eq? @_fn "request_uri"))

((function_call
   name: (method_index_expression table: (_) @_o method: (identifier) @_fn)
   arguments: (arguments . (_) @target.host . (_) @target.port))
  (#set! scheme "redis") (#match? @_o "(?i)^red$|redis") (#eq? @_fn "connect"))

((function_call
   name: (method_index_expression table: (_) @_o method: (identifier) @_fn)
   arguments: (arguments . [(string) (identifier) (binary_expression) (dot_index_expression) (function_call)] @target.host . (_) @target.port))
  (#not-match? @_o "(?i)^red$|redis") (#eq? @_fn "connect"))

; host alone (the driver's default port), then host and port: an optional
; node whose predicate fails would drop the whole match
((function_call
   name: (method_index_expression table: (_) @_o method: (identifier) @_fn)
   arguments: (arguments . (table_constructor
     (field name: (identifier) @_h value: (_) @target.host))))
  (#eq? @_fn "connect") (#eq? @_h "host"))

((function_call
   name: (method_index_expression table: (_) @_o method: (identifier) @_fn)
   arguments: (arguments . (table_constructor
     (field name: (identifier) @_h value: (_) @target.host)
     (field name: (identifier) @_p value: (_) @target.port))))
  (#eq? @_fn "connect") (#eq? @_h "host") (#eq? @_p "port"))

; ngx.location.capture("/x") is a subrequest to a location of this nginx, whose
; proxy_pass the nginx reader follows: not a call target here.

; ---- Thrift: GenericObjectPool:connection(XClient, "host", port), TSocket:new{host=, port=}
((function_call
   name: (method_index_expression method: (identifier) @_fn)
   arguments: (arguments . (_) . (_) @target.host . (_) @target.port))
  (#eq? @_fn "connection"))

((function_call
   name: (method_index_expression table: (identifier) @_fn method: (identifier) @_m)
   arguments: (arguments . (table_constructor
     (field name: (identifier) @_h value: (_) @target.host))))
  (#any-of? @_fn "TSocket" "TFramedTransport" "THttpClient") (#eq? @_m "new") (#eq? @_h "host"))

((function_call
   name: (method_index_expression table: (identifier) @_fn method: (identifier) @_m)
   arguments: (arguments . (table_constructor
     (field name: (identifier) @_h value: (_) @target.host)
     (field name: (identifier) @_p value: (_) @target.port))))
  (#any-of? @_fn "TSocket" "TFramedTransport" "THttpClient") (#eq? @_m "new") (#eq? @_h "host") (#eq? @_p "port"))

; ---- string building: string.format(fmt, ...), ("..."):format(...)
((function_call
   name: (dot_index_expression table: (identifier) @_s field: (identifier) @_fn)
   arguments: (arguments . (_) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_s "string") (#eq? @_fn "format"))

((function_call
   name: (method_index_expression table: (_) @form.string method: (identifier) @_fn)
   arguments: (arguments) @form.args) @form
  (#set! form "printf") (#eq? @_fn "format"))

((function_call name: (identifier) @_fn arguments: (arguments . (_) @form.value .)) @form
  (#eq? @_fn "tostring"))

; ---- messages: ngx.log, ngx.say, print, error, assert
((function_call name: (identifier) @_fn arguments: (arguments) @quiet)
  (#any-of? @_fn "print" "error" "assert"))

((function_call
   name: (dot_index_expression table: (identifier) @_n field: (identifier) @_fn)
   arguments: (arguments) @quiet)
  (#eq? @_n "ngx") (#any-of? @_fn "log" "say" "print" "exit" "status"))

((function_call
   name: [(dot_index_expression table: (_) @_recv) (method_index_expression table: (_) @_recv)]
   arguments: (arguments) @quiet)
  (#match? @_recv "(?i)^(log|logger)$"))

;; section: definitions

(assignment_statement (variable_list) @def.name (expression_list) @def.value)
(assignment_statement
  (variable_list . name: (dot_index_expression field: (identifier) @def.field) .)
  (expression_list . value: (_) @def.value .))
(parameters name: (identifier) @param)
(for_generic_clause (variable_list name: (identifier) @loop))
(for_numeric_clause name: (identifier) @loop)

;; section: calls

(function_call name: (identifier) @call.name arguments: (arguments) @call.args) @call
(function_call
  name: (method_index_expression table: (_) @call.object method: (identifier) @call.name)
  arguments: (arguments) @call.args) @call
