; Python call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string) @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads
; pydantic settings: class Settings(BaseSettings): cart_url: str = "..." reads env CART_URL
((class_definition
   superclasses: (argument_list [(identifier) @_fn (attribute attribute: (identifier) @_fn)])
   body: (block
     (expression_statement
       (assignment left: (identifier) @env.name type: (_) right: (_)? @env.default) @env)))
  (#set! env "field") (#eq? @_fn "BaseSettings"))

; ... with an env prefix: model_config = SettingsConfigDict(env_prefix="SHOP_") (before the
; fields), or pydantic 1's nested class Config: env_prefix = "SHOP_" (after them)
((class_definition
   superclasses: (argument_list [(identifier) @_fn (attribute attribute: (identifier) @_fn)])
   body: (block
     (expression_statement
       (assignment
         left: (identifier) @_mc
         right: (call arguments: (argument_list
           (keyword_argument name: (identifier) @_k value: (string) @env.prefix)))))
     (expression_statement
       (assignment left: (identifier) @env.name type: (_) right: (_)? @env.default) @env)))
  (#set! env "field") (#eq? @_fn "BaseSettings") (#eq? @_mc "model_config") (#eq? @_k "env_prefix"))

((class_definition
   superclasses: (argument_list [(identifier) @_fn (attribute attribute: (identifier) @_fn)])
   body: (block
     (expression_statement
       (assignment left: (identifier) @env.name type: (_) right: (_)? @env.default) @env)
     (class_definition
       name: (identifier) @_c
       body: (block
         (expression_statement
           (assignment left: (identifier) @_k right: (string) @env.prefix))))))
  (#set! env "field") (#eq? @_fn "BaseSettings") (#eq? @_c "Config") (#eq? @_k "env_prefix"))

; os.environ["X"], environ["X"]
((subscript
   value: (attribute object: (identifier) @_os attribute: (identifier) @_fn)
   subscript: (_) @env.name) @env
  (#eq? @_os "os") (#eq? @_fn "environ"))
((subscript value: (identifier) @_fn subscript: (_) @env.name) @env
  (#eq? @_fn "environ"))

; os.environ.get("X", default), os.environ.setdefault("X", default), environ.get(...)
((call
   function: (attribute
     object: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
     attribute: (identifier) @_m)
   arguments: (argument_list . (_) @env.name . (_)? @env.default)) @env
  (#eq? @_fn "environ") (#any-of? @_m "get" "setdefault"))

; os.getenv("X", default), getenv("X")
((call
   function: [(identifier) @_fn (attribute object: (identifier) @_os attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @env.name . (_)? @env.default)) @env
  (#eq? @_fn "getenv"))

; python-decouple / environs: config("X", default="..."), env.str("X", "...")
; (the name alone, then with its default: an optional node whose predicate fails would
; drop the whole match, as config("X", cast=int) would)
((call
   function: (identifier) @_fn
   arguments: (argument_list . (string) @env.name)) @env
  (#eq? @_fn "config") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$"))

((call
   function: (identifier) @_fn
   arguments: (argument_list
     . (string) @env.name
     (keyword_argument name: (identifier) @_k value: (_) @env.default))) @env
  (#eq? @_fn "config") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$") (#eq? @_k "default"))

; django-environ / environs: env("X"), env.str("X"), env.db("X"), env.cache("X", default=...)
((call
   function: (identifier) @_fn
   arguments: (argument_list . (string) @env.name)) @env
  (#eq? @_fn "env") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$"))

((call
   function: (identifier) @_fn
   arguments: (argument_list
     . (string) @env.name
     (keyword_argument name: (identifier) @_k value: (_) @env.default))) @env
  (#eq? @_fn "env") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$") (#eq? @_k "default"))

((call
   function: (attribute object: (identifier) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . (string) @env.name)) @env
  (#eq? @_fn "env") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$")
  (#any-of? @_m "str" "url" "db" "db_url" "cache" "cache_url" "email" "email_url" "search_url"))

((call
   function: (attribute object: (identifier) @_fn attribute: (identifier) @_m)
   arguments: (argument_list
     . (string) @env.name
     (keyword_argument name: (identifier) @_k value: (_) @env.default))) @env
  (#eq? @_fn "env") (#match? @env.name "^[\"'][A-Z][A-Z0-9_]*[\"']$") (#eq? @_k "default")
  (#any-of? @_m "str" "url" "db" "db_url" "cache" "cache_url" "email" "email_url" "search_url"))

; Django's SMTP backend connects to the settings module's EMAIL_HOST:EMAIL_PORT (the port
; set after the host: a settings file that overrides both later pairs its own two)
((module
   (expression_statement (assignment left: (identifier) @_fn right: (_) @target.host))
   (expression_statement (assignment left: (identifier) @_p right: (_) @target.port)))
  (#set! scheme "smtp") (#eq? @_fn "EMAIL_HOST") (#eq? @_p "EMAIL_PORT"))

; ---- HTTP clients
((call
   function: (attribute object: (identifier) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . (_) @target))
  (#any-of? @_fn "requests" "httpx")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "options" "stream"))

((call
   function: (attribute object: (identifier) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . (_) . (_) @target))
  (#any-of? @_fn "requests" "httpx") (#eq? @_m "request"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . (_) @target))
  (#match? @_fn "(^|[._])(session|http_?client|async_?client)$|Session\\(\\)$")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "options" "ws_connect"))

((call function: (identifier) @_fn arguments: (argument_list . (_) @target))
  (#eq? @_fn "urlopen"))

((call
   function: (attribute object: (_) @_r attribute: (identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_fn "urlopen") (#match? @_r "(^|\\.)request$"))


((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . (_) @target.host
     . [(integer) (identifier) (string) (attribute)]? @target.port))
  (#any-of? @_fn "HTTPConnection" "HTTPSConnection"))

((call
   function: (attribute object: (identifier) @_m attribute: (identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#any-of? @_m "websockets" "websocket") (#any-of? @_fn "connect" "create_connection"))

; a DNS lookup of a host is that host: socket.gethostbyname(h) handed to a client connects to h
((call
   function: (attribute object: (identifier) @_m attribute: (identifier) @_fn)
   arguments: (argument_list . (_) @form.value)) @form
  (#eq? @_m "socket") (#any-of? @_fn "gethostbyname" "gethostbyname_ex"))

;; ---- service-discovery names (socklock/discover/names.py): resolved to the workload by name
; Dapr: DaprClient().invoke_method("orders", "method", data), invoke_method(app_id="orders", ...)
((call
   function: (attribute attribute: (identifier) @_fn)
   arguments: (argument_list . [(string) (identifier) (attribute)] @target))
  (#set! service "dapr") (#any-of? @_fn "invoke_method" "invoke_method_async"))

((call
   function: (attribute attribute: (identifier) @_fn)
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @target)))
  (#set! service "dapr") (#any-of? @_fn "invoke_method" "invoke_method_async") (#eq? @_k "app_id"))

; Dapr HTTP proxying: requests.get(f"{sidecar}/orders", headers={"dapr-app-id": "orders"})
((pair key: (string) @_k value: (_) @target)
  (#set! service "dapr") (#match? @_k "^['\"](?i:dapr-app-id)['\"]$"))

; ---- sockets
((call
   function: (attribute object: (identifier) @_m attribute: (identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_m "socket") (#eq? @_fn "create_connection"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . (tuple) @target))
  (#set! strength "weak") (#match? @_fn "(?i)sock") (#any-of? @_m "connect" "connect_ex"))

; ---- gRPC channels and stubs
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#any-of? @_fn "insecure_channel" "secure_channel"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @form.value)) @form
  (#set! form "pass") (#any-of? @_fn "insecure_channel" "secure_channel"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . [(identifier) (attribute)] @stub.conn))
  (#match? @_fn "[A-Za-z0-9]Stub$") (#match? @stub.conn "(?i)chan"))

; ---- databases and brokers
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @target))
  (#set! scheme "mongodb") (#any-of? @_fn "MongoClient" "AsyncIOMotorClient"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @target))
  (#any-of? @_fn "from_url" "create_engine" "create_async_engine" "URLParameters" "connect_robust"))

((call
   function: (attribute object: (identifier) @_fn attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (identifier) (binary_operator) (call) (attribute) (subscript)] @target))
  (#any-of? @_fn "psycopg2" "psycopg" "asyncpg" "aio_pika" "aiormq" "pika" "kombu")
  (#any-of? @_m "connect" "create_pool"))

; python-consul / py-consul: consul.Consul(host="consul", port=8500) is the agent it talks to
((call
   function: (attribute object: (identifier) @_o attribute: (identifier) @_fn)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#eq? @_o "consul") (#eq? @_fn "Consul") (#eq? @_h "host") (#eq? @_p "port"))

; host alone (the driver's default port), then host and port: an optional
; node whose predicate fails would drop the whole match
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)))
  (#set! scheme "redis") (#any-of? @_fn "Redis" "StrictRedis") (#eq? @_h "host"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#set! scheme "redis") (#any-of? @_fn "Redis" "StrictRedis") (#eq? @_h "host") (#eq? @_p "port"))

; redis-py's Redis(host="localhost", port=6379, ...) also takes them positionally
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . [(string) (identifier) (attribute) (subscript) (call) (binary_operator)] @target.host))
  (#set! scheme "redis") (#any-of? @_fn "Redis" "StrictRedis"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . [(string) (identifier) (attribute) (subscript) (call) (binary_operator)] @target.host
     . [(integer) (string) (identifier) (attribute) (subscript) (call)] @target.port))
  (#set! scheme "redis") (#any-of? @_fn "Redis" "StrictRedis"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)))
  (#set! scheme "amqp") (#eq? @_fn "ConnectionParameters") (#eq? @_h "host"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#set! scheme "amqp") (#eq? @_fn "ConnectionParameters") (#eq? @_h "host") (#eq? @_p "port"))

; pika.ConnectionParameters("rabbitmq") and ("rabbitmq", 5672): host and port positional
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . [(string) (identifier) (attribute) (subscript) (call) (binary_operator)] @target.host))
  (#set! scheme "amqp") (#eq? @_fn "ConnectionParameters"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . [(string) (identifier) (attribute) (subscript) (call) (binary_operator)] @target.host
     . [(integer) (string) (identifier) (attribute) (subscript) (call)] @target.port))
  (#set! scheme "amqp") (#eq? @_fn "ConnectionParameters"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)))
  (#set! scheme "mysql") (#any-of? @_fn "pymysql" "MySQLdb" "mysql.connector" "aiomysql") (#eq? @_m "connect")
  (#eq? @_h "host"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#set! scheme "mysql") (#any-of? @_fn "pymysql" "MySQLdb" "mysql.connector" "aiomysql") (#eq? @_m "connect")
  (#eq? @_h "host") (#eq? @_p "port"))

; ... the same imported by its bare name (``from mysql.connector import connect``): the
; driver the file imports it from gives the protocol (python.py); none, no call
((call
   function: (identifier) @_fn
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)))
  (#set! scheme "imported") (#eq? @_fn "connect") (#eq? @_h "host"))

((call
   function: (identifier) @_fn
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#set! scheme "imported") (#eq? @_fn "connect") (#eq? @_h "host") (#eq? @_p "port"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)))
  (#set! scheme "postgresql") (#any-of? @_fn "psycopg2" "psycopg" "asyncpg") (#eq? @_m "connect")
  (#eq? @_h "host"))

((call
   function: (attribute object: (_) @_fn attribute: (identifier) @_m)
   arguments: (argument_list
     (keyword_argument name: (identifier) @_h value: (_) @target.host)
     (keyword_argument name: (identifier) @_p value: (_) @target.port)))
  (#set! scheme "postgresql") (#any-of? @_fn "psycopg2" "psycopg" "asyncpg") (#eq? @_m "connect")
  (#eq? @_h "host") (#eq? @_p "port"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     (keyword_argument name: (identifier) @_k value: (_) @target)))
  (#match? @_fn "Kafka(Producer|Consumer|AdminClient|Client)$") (#eq? @_k "bootstrap_servers"))

; KafkaConsumer("orders", bootstrap_servers=...): the topic is evidence
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . (string) @target.topic
     (keyword_argument name: (identifier) @_k value: (_) @target)))
  (#match? @_fn "KafkaConsumer$") (#eq? @_k "bootstrap_servers"))

; confluent-kafka: Consumer({"bootstrap.servers": ...}), Producer({...})
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list
     . (dictionary (pair key: (string) @_k value: (_) @target))))
  (#set! scheme "kafka")
  (#match? @_fn "^(Consumer|Producer|AdminClient|DeserializingConsumer|SerializingProducer|AIOConsumer|AIOProducer)$")
  (#match? @_k "^.bootstrap\\.servers.$"))

; ---- string building
((call
   function: (attribute object: (_) @form.string attribute: (identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "braces") (#eq? @_fn "format"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#eq? @_fn "urljoin"))

((call function: (identifier) @_fn arguments: (argument_list . (_) @form.value .)) @form
  (#any-of? @_fn "str" "int"))

; "default" if os.environ.get("X") is None else os.environ.get("X"), and the "is not" form
((conditional_expression
   (_) @form.part
   .
   [(comparison_operator (_) @_l "is" (none))
    (parenthesized_expression (comparison_operator (_) @_l "is" (none)))]
   .
   (_) @form.value) @form
  (#set! form "default") (#eq? @_l @form.value))

; "" if os.environ.get("D") is None else "." + os.environ.get("D"): the value built from the
; variable, the literal when it is unset
((conditional_expression
   (_) @form.part
   .
   [(comparison_operator (_) @_l "is" (none))
    (parenthesized_expression (comparison_operator (_) @_l "is" (none)))]
   .
   (binary_operator) @form.value) @form
  (#set! form "default") (#match? @_l "^os\\.(environ\\.get|getenv)\\("))

((conditional_expression
   (_) @form.value
   .
   [(comparison_operator (_) @_l "is not" (none))
    (parenthesized_expression (comparison_operator (_) @_l "is not" (none)))]
   .
   (_) @form.part) @form
  (#set! form "default") (#eq? @_l @form.value))

((call
   function: (attribute object: (string) @form.string attribute: (identifier) @_fn)
   arguments: (argument_list . [(list) (tuple)] @form.value .)) @form
  (#set! form "join-list") (#eq? @_fn "join"))

; urllib.request.Request(url, ...), urlsplit(url): the URL is what travels on
((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list . (_) @form.value)) @form
  (#any-of? @_fn "Request" "urlsplit" "urlparse"))

((call function: (attribute object: (_) @form.value attribute: (identifier) @_fn)) @form
  (#any-of? @_fn "rstrip" "strip" "lower"))

; ---- the program's own listeners
((call function: (attribute attribute: (identifier) @_fn) arguments: (argument_list) @listen)
  (#any-of? @_fn "run" "bind" "add_insecure_port" "add_secure_port" "run_app" "listen"
    "serve_forever" "start_server"))

((call
   function: [(identifier) @_fn (attribute attribute: (identifier) @_fn)]
   arguments: (argument_list) @listen)
  (#any-of? @_fn "HTTPServer" "ThreadingHTTPServer" "TCPServer" "ThreadingTCPServer"
    "make_server" "serve" "run_simple" "start_http_server"))

; ---- messages: prints, logs, warnings, exceptions, docstrings, help texts
((call function: (identifier) @_fn arguments: (argument_list) @quiet)
  (#any-of? @_fn "print" "pprint"))

((call function: (attribute object: (_) @_recv attribute: (identifier) @_fn) arguments: (argument_list) @quiet)
  (#match? @_recv "(?i)(log|warnings|click|typer|console)")
  (#any-of? @_fn "debug" "info" "warning" "warn" "error" "exception" "critical" "fatal" "log"
    "echo" "secho" "print"))

(raise_statement) @quiet
(assert_statement) @quiet
(expression_statement . (string) @quiet .)
(expression_statement . (concatenated_string) @quiet .)

((keyword_argument name: (identifier) @_k value: (_) @quiet)
  (#any-of? @_k "help" "description" "epilog" "msg" "message" "homepage" "url_prefix"))

; ---- a service registry's health check in a registration: {"Check": {"HTTP": url}} (Consul's
; agent API), consul.Check.http(url, interval) (python-consul): the registry's agent polls
; that URL, the program does not call it (code_evidence.py)
((pair key: (string) @_c
   value: (dictionary (pair key: (string) @_k value: (_) @declare @_fn)))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#match? @_c "^['\"](Check|check)['\"]$") (#match? @_k "^['\"](HTTP|http|GRPC|grpc)['\"]$"))

((call
   function: (attribute object: [(identifier) (attribute)] @_c attribute: (identifier) @_k)
   arguments: (argument_list . (_) @declare @_fn))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#match? @_c "(^|\\.)Check$") (#any-of? @_k "http" "grpc"))

;; section: definitions

(assignment left: (identifier) @def.name right: (_) @def.value)
(assignment left: (pattern_list) @def.name right: (_) @def.value)
(assignment left: (tuple_pattern) @def.name right: (_) @def.value)
((assignment
   left: (attribute object: (identifier) @_self attribute: (identifier) @def.field)
   right: (_) @def.value)
  (#any-of? @_self "self" "cls"))
; app.config["CART_URL"] = ...: a key of a config object, read anywhere in the file
(assignment left: (subscript) @def.field right: (_) @def.value)
(named_expression name: (identifier) @def.name value: (_) @def.value)
(as_pattern . (_) @def.value alias: (as_pattern_target (identifier) @def.name))
(parameters (identifier) @param)
(parameters (typed_parameter . (identifier) @param))
(default_parameter name: (identifier) @param value: (_) @param.default)
(typed_default_parameter name: (identifier) @param value: (_) @param.default)
(lambda_parameters (identifier) @param)
(for_statement left: (_) @loop)
(for_in_clause left: (_) @loop)

;; section: calls

(call function: (identifier) @call.name arguments: (argument_list) @call.args) @call
(call
  function: (attribute object: (_) @call.object attribute: (identifier) @call.name)
  arguments: (argument_list) @call.args) @call
