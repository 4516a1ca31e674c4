; PHP call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
([(string) (encapsed_string) (heredoc)] @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: getenv("X"), $_ENV["X"], $_SERVER["X"], env("X", "d") (Laravel)
((function_call_expression
   function: (name) @_fn
   arguments: (arguments . (argument (_) @env.name) . (argument (_) @env.default)?)) @env
  (#any-of? @_fn "getenv" "env"))

((subscript_expression (variable_name) @_fn . [(string) (encapsed_string)] @env.name) @env
  (#any-of? @_fn "$_ENV" "$_SERVER"))

; ---- HTTP clients: curl, Guzzle, Laravel's Http facade, streams
;      (curl takes ``users:80/x`` as http://users:80/x)
((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @target))
  (#set! guess "http") (#eq? @_fn "curl_init"))

((function_call_expression
   function: (name) @_fn
   arguments: (arguments . (argument) . (argument (name) @_o) . (argument) @target))
  (#set! guess "http") (#eq? @_fn "curl_setopt") (#eq? @_o "CURLOPT_URL"))

((function_call_expression
   function: (name) @_fn
   arguments: (arguments . (argument)
     . (argument (array_creation_expression
         (array_element_initializer . (_) @_o . (_) @target)))))
  (#set! guess "http") (#eq? @_fn "curl_setopt_array") (#eq? @_o "CURLOPT_URL"))

((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @target))
  (#set! strength "weak") (#any-of? @_fn "file_get_contents" "fopen" "get_headers" "fsockopen"))

; new Client(['base_uri' => ...]) (Guzzle), new Predis\Client('tcp://redis:6379')
((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments (argument (array_creation_expression
     (array_element_initializer . (_) @_k . (_) @target)))))
  (#eq? @_fn "Client") (#match? @_k "^['\"](base_uri|base_url|uri|url|scheme_and_host)['\"]$"))

((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments . (argument [(string) (encapsed_string) (binary_expression) (variable_name) (function_call_expression)]) @target))
  (#set! strength "weak") (#eq? @_fn "Client"))

; Symfony: HttpClient::create(['base_uri' => ...]), HttpClient::createForBaseUri(...)
((scoped_call_expression
   scope: [(name) @_fn (qualified_name (name) @_fn .)] name: (name) @_m
   arguments: (arguments (argument (array_creation_expression
     (array_element_initializer . (_) @_k . (_) @target)))))
  (#eq? @_fn "HttpClient") (#eq? @_m "create") (#match? @_k "^['\"]base_uri['\"]$"))

((scoped_call_expression
   scope: [(name) @_fn (qualified_name (name) @_fn .)] name: (name) @_m
   arguments: (arguments . (argument) @target))
  (#eq? @_fn "HttpClient") (#eq? @_m "createForBaseUri"))

; $client->get($url), $this->http->request('GET', $url): a probable client call
((member_call_expression
   object: (_) @_fn name: (name) @_m
   arguments: (arguments . (argument) @target))
  (#set! strength "weak")
  (#match? @_fn "(?i)(client|http|guzzle|curl)$")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "getAsync" "postAsync"))

((member_call_expression
   object: (_) @_fn name: (name) @_m
   arguments: (arguments . (argument) . (argument) @target))
  (#set! strength "weak")
  (#match? @_fn "(?i)(client|http|guzzle)$")
  (#any-of? @_m "request" "requestAsync" "send"))

((scoped_call_expression
   scope: (name) @_fn name: (name) @_m
   arguments: (arguments . (argument) @target))
  (#set! strength "weak") (#eq? @_fn "Http")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "baseUrl"))

; ---- databases: new PDO("mysql:host=db;port=3306"), new mysqli(host, user, pass, db, port)
((object_creation_expression [(name) @_fn (qualified_name (name) @_fn .)] (arguments . (argument) @target))
  (#eq? @_fn "PDO"))

((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments . (argument) @target.host . (argument) . (argument) . (argument) . (argument) @target.port))
  (#set! scheme "mysql") (#eq? @_fn "mysqli"))

((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments . (argument) @target.host . (argument)? . (argument)? . (argument)? .))
  (#set! scheme "mysql") (#eq? @_fn "mysqli"))

((function_call_expression
   function: (name) @_fn
   arguments: (arguments . (argument) @target.host . (argument) . (argument) . (argument) . (argument) @target.port))
  (#set! scheme "mysql") (#any-of? @_fn "mysqli_connect" "mysqli_real_connect"))

((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @target.host . (argument)? . (argument)? . (argument)? .))
  (#set! scheme "mysql") (#any-of? @_fn "mysqli_connect"))

((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @target))
  (#set! scheme "postgresql") (#any-of? @_fn "pg_connect" "pg_pconnect"))

; ---- brokers and caches: $redis->connect(host, port), new AMQPStreamConnection(host, port),
;      $memcached->addServer(host, port), new MongoDB\Client("mongodb://...")
((member_call_expression
   object: (_) @_fn name: (name) @_m
   arguments: (arguments . (argument) @target.host . (argument) @target.port))
  (#set! scheme "redis") (#match? @_fn "(?i)redis") (#any-of? @_m "connect" "pconnect"))

((member_call_expression
   object: (_) @_o name: (name) @_fn
   arguments: (arguments . (argument) @target.host . (argument) @target.port))
  (#set! scheme "memcached") (#eq? @_fn "addServer"))

((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments . (argument) @target.host . (argument) @target.port))
  (#set! scheme "amqp") (#any-of? @_fn "AMQPStreamConnection" "AMQPSocketConnection" "AMQPSSLConnection"))

((object_creation_expression
   [(name) @_c (qualified_name (namespace_name) @_fn (name) @_c)]
   (arguments . (argument) @target))
  (#set! strength "weak") (#match? @_fn "MongoDB|Predis") (#eq? @_c "Client"))

; host alone (the driver's default port), then host and port: an optional
; node whose predicate fails would drop the whole match
((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments (argument (array_creation_expression
     (array_element_initializer . (_) @_h . (_) @target.host)))))
  (#set! scheme "redis") (#any-of? @_fn "Client" "Redis" "RedisCluster")
  (#match? @_h "^['\"]host['\"]$"))

((object_creation_expression
   [(name) @_fn (qualified_name (name) @_fn .)]
   (arguments (argument (array_creation_expression
     (array_element_initializer . (_) @_h . (_) @target.host)
     (array_element_initializer . (_) @_p . (_) @target.port)))))
  (#set! scheme "redis") (#any-of? @_fn "Client" "Redis" "RedisCluster")
  (#match? @_h "^['\"]host['\"]$") (#match? @_p "^['\"]port['\"]$"))

; ---- string building: sprintf, vsprintf, implode, rtrim, http_build_url-free helpers
((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_fn "sprintf"))

((function_call_expression function: (name) @_fn arguments: (arguments . (argument) @form.value)) @form
  (#any-of? @_fn "trim" "rtrim" "ltrim" "strval" "urldecode" "strtolower"))

; getenv("X") ?: "default"
((conditional_expression !body condition: (_) @form.value alternative: (_) @form.part) @form
  (#set! form "default"))

; ---- messages: echo/print, error_log, loggers, exceptions, die
(echo_statement) @quiet
(print_intrinsic) @quiet
(throw_expression) @quiet

((function_call_expression function: (name) @_fn arguments: (arguments) @quiet)
  (#any-of? @_fn "error_log" "printf" "print_r" "var_dump" "die" "exit" "trigger_error" "syslog"))

((member_call_expression object: (_) @_recv name: (name) @_fn arguments: (arguments) @quiet)
  (#match? @_recv "(?i)log(ger)?$")
  (#any-of? @_fn "debug" "info" "notice" "warning" "error" "critical" "alert" "emergency" "log"))

((scoped_call_expression scope: (name) @_recv name: (name) @_fn arguments: (arguments) @quiet)
  (#eq? @_recv "Log")
  (#any-of? @_fn "debug" "info" "notice" "warning" "error" "critical" "alert" "emergency"))

;; section: definitions

(assignment_expression left: (variable_name) @def.name right: (_) @def.value)
(assignment_expression
  left: (member_access_expression object: (variable_name) @_t name: (name) @def.field)
  right: (_) @def.value
  (#eq? @_t "$this"))
(property_element name: (variable_name (name) @def.field) default_value: (_) @def.value)
(const_element (name) @def.name . (_) @def.value)
(enum_case name: (name) @def.name value: (_) @def.value)
((function_call_expression
   function: (name) @_d
   arguments: (arguments
     . (argument [(string (string_content) @def.name) (encapsed_string (string_content) @def.name)])
     . (argument (_) @def.value)))
  (#eq? @_d "define"))
(simple_parameter name: (variable_name) @param default_value: (_)? @param.default)
(property_promotion_parameter name: (variable_name) @param default_value: (_)? @param.default)
(variadic_parameter name: (variable_name) @param)
(foreach_statement (_) (variable_name) @loop)

;; section: calls

(function_call_expression function: (name) @call.name arguments: (arguments) @call.args) @call
(member_call_expression object: (_) @call.object name: (name) @call.name arguments: (arguments) @call.args) @call
(object_creation_expression (name) @call.name (arguments) @call.args) @call
