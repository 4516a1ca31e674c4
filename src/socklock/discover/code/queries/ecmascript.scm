; JavaScript and TypeScript call targets: patterns both grammars share.
; Capture names are documented in socklock/discover/code/captures.py. In every pattern
; that reports something, @_fn is the most selective word (the prefilter searches for it).

;; section: targets

; ---- literals that may hold an address
((string) @seed
  (#match? @seed "://|:[0-9][0-9]"))
((template_string) @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: process.env.X, process.env["X"], const { X = "default" } = process.env
; (Bun.env is Bun's process.env)
((member_expression
   object: (member_expression object: (identifier) @_p property: (property_identifier) @_fn)
   property: (property_identifier) @env.name) @env
  (#any-of? @_p "process" "Bun") (#eq? @_fn "env"))

; process.env[name]: the name a helper's caller passes (``env("AD_ADDR")``)
((subscript_expression
   object: (member_expression object: (identifier) @_p property: (property_identifier) @_fn)
   index: [(string) (identifier)] @env.name) @env
  (#any-of? @_p "process" "Bun") (#eq? @_fn "env"))

; Deno's env API: Deno.env.get("X")
((call_expression
   function: (member_expression
     object: (member_expression object: (identifier) @_p property: (property_identifier) @_fn)
     property: (property_identifier) @_m)
   arguments: (arguments . (string) @env.name .)) @env
  (#eq? @_p "Deno") (#eq? @_fn "env") (#eq? @_m "get"))

((variable_declarator
   name: (object_pattern (shorthand_property_identifier_pattern) @env @env.name)
   value: (member_expression object: (identifier) @_p property: (property_identifier) @_fn))
  (#eq? @_p "process") (#eq? @_fn "env"))

((variable_declarator
   name: (object_pattern
     (object_assignment_pattern
       left: (shorthand_property_identifier_pattern) @env.name
       right: (_) @env.default) @env)
   value: (member_expression object: (identifier) @_p property: (property_identifier) @_fn))
  (#eq? @_p "process") (#eq? @_fn "env"))

; NestJS @nestjs/config: configService.get('X'), this.configService.get<string>('X', 'dflt'),
; .getOrThrow('X'): the service reads process.env (after loading the app's .env files)
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (string) @env.name .)) @env
  (#any-of? @_fn "configService" "_configService") (#any-of? @_m "get" "getOrThrow"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (string) @env.name . (_) @env.default .)) @env
  (#any-of? @_fn "configService" "_configService") (#any-of? @_m "get" "getOrThrow"))

((call_expression
   function: (member_expression
     object: (member_expression property: (property_identifier) @_fn)
     property: (property_identifier) @_m)
   arguments: (arguments . (string) @env.name .)) @env
  (#any-of? @_fn "configService" "_configService") (#any-of? @_m "get" "getOrThrow"))

((call_expression
   function: (member_expression
     object: (member_expression property: (property_identifier) @_fn)
     property: (property_identifier) @_m)
   arguments: (arguments . (string) @env.name . (_) @env.default .)) @env
  (#any-of? @_fn "configService" "_configService") (#any-of? @_m "get" "getOrThrow"))

; ---- HTTP clients: fetch(url), axios(url), got(url)
((call_expression function: (identifier) @_fn arguments: (arguments . (_) @target))
  (#any-of? @_fn "fetch" "axios" "got" "ky" "request" "needle" "superagent" "nodeFetch"))

; axios.get(url), http.request(options), https.get(url)
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "axios" "got" "request" "superagent" "needle" "ky" "undici" "rp")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "del" "head" "options" "request" "stream" "fetch"))

; Node's http/https modules: options without a protocol ({host: "orders", path: "/x"}) speak
; the module's own
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! guess "http") (#eq? @_fn "http") (#any-of? @_m "get" "request"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! guess "https") (#eq? @_fn "https") (#any-of? @_m "get" "request"))

; an ``http`` client object of another library (``const http = axios.create()``)
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "http" "https")
  (#any-of? @_m "post" "put" "patch" "delete" "del" "head" "options" "stream" "fetch"))

; Angular-style this.http.get(url): usually relative, so only addresses count
((call_expression
   function: (member_expression
     object: (member_expression object: (this) property: (property_identifier) @_fn)
     property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! strength "weak") (#match? @_fn "^(http|httpClient|client|api|axios)$")
  (#any-of? @_m "get" "post" "put" "patch" "delete" "head" "request"))

; ---- gRPC: new proto.CatalogService(address, grpc.credentials.createInsecure())
((new_expression
   arguments: (arguments . (_) @target . (_) @_fn))
  (#set! kind "grpc") (#match? @_fn "[Cc]redentials\\b"))

; NestJS microservice clients (ClientsModule.register([...]), ClientProxyFactory.create(...),
; @Client(...)): {transport: Transport.TCP, options: {host: "orders", port: 4001}} calls that
; address; a gRPC or MQTT/NATS client's options give a url. A server's own options (the same
; shape in createMicroservice) name its own address: no call (and its port is where it listens)
((object
   (pair key: (property_identifier) @_t
     value: (member_expression object: (identifier) @_fn property: (property_identifier) @_tr))
   (pair key: (property_identifier) @_o
     value: (object
       (pair key: (property_identifier) @_h value: (_) @target.host)
       (pair key: (property_identifier) @_p value: (_) @target.port))))
  (#eq? @_t "transport") (#eq? @_fn "Transport") (#any-of? @_tr "TCP" "REDIS")
  (#eq? @_o "options") (#eq? @_h "host") (#eq? @_p "port"))

((object
   (pair key: (property_identifier) @_t
     value: (member_expression object: (identifier) @_fn property: (property_identifier) @_tr))
   (pair key: (property_identifier) @_o
     value: (object
       (pair key: (property_identifier) @_p value: (_) @target.port)
       (pair key: (property_identifier) @_h value: (_) @target.host))))
  (#eq? @_t "transport") (#eq? @_fn "Transport") (#any-of? @_tr "TCP" "REDIS")
  (#eq? @_o "options") (#eq? @_h "host") (#eq? @_p "port"))

((object
   (pair key: (property_identifier) @_t
     value: (member_expression object: (identifier) @_fn property: (property_identifier) @_tr))
   (pair key: (property_identifier) @_o
     value: (object (pair key: (property_identifier) @_u value: (_) @target))))
  (#set! kind "grpc") (#eq? @_t "transport") (#eq? @_fn "Transport") (#eq? @_tr "GRPC")
  (#eq? @_o "options") (#eq? @_u "url"))

((object
   (pair key: (property_identifier) @_t
     value: (member_expression object: (identifier) @_fn property: (property_identifier) @_tr))
   (pair key: (property_identifier) @_o
     value: (object (pair key: (property_identifier) @_u value: (_) @target))))
  (#eq? @_t "transport") (#eq? @_fn "Transport") (#any-of? @_tr "MQTT" "NATS")
  (#eq? @_o "options") (#eq? @_u "url"))

; ---- a service registry's health check: {Check: {HTTP: `http://${host}:${port}/health`}} or
; {checks: [{http: url}]} in a registration (Consul's agent API, the consul package): the
; registry's agent polls that URL, the program does not call it (code_evidence.py)
((pair key: [(string) (property_identifier)] @_c
   value: (object (pair key: [(string) (property_identifier)] @_k value: (_) @declare @_fn)))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#match? @_c "^['\"]?(Check|check)['\"]?$") (#match? @_k "^['\"]?(HTTP|http|GRPC|grpc)['\"]?$"))

((pair key: [(string) (property_identifier)] @_c
   value: (array (object (pair key: [(string) (property_identifier)] @_k value: (_) @declare @_fn))))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#match? @_c "^['\"]?(Checks|checks)['\"]?$") (#match? @_k "^['\"]?(HTTP|http|GRPC|grpc)['\"]?$"))

;; ---- service-discovery names (socklock/discover/names.py): resolved to the workload by name
; Dapr: client.invoker.invoke("orders", "method", HttpMethod.POST)
((call_expression
   function: (member_expression
     object: (member_expression property: (property_identifier) @_inv)
     property: (property_identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#set! service "dapr") (#eq? @_inv "invoker") (#eq? @_fn "invoke"))

; Dapr HTTP proxying: a request to the sidecar with header dapr-app-id names the callee
; (axios.get(`${sidecar}/orders`, {headers: {'dapr-app-id': 'orders'}}), fetch(url, {headers}))
((pair key: [(string) (property_identifier)] @_k value: (_) @target)
  (#set! service "dapr") (#match? @_k "^['\"]?(?i:dapr-app-id)['\"]?$"))

; ---- sockets, databases, brokers
((new_expression constructor: (identifier) @_fn arguments: (arguments . (_) @target))
  (#any-of? @_fn "WebSocket" "EventSource" "MongoClient" "Sequelize" "Kafka" "MeiliSearch" "Meilisearch"))

; a remote browser: chromium.connectOverCDP(url), puppeteer.connect({browserWSEndpoint})
((call_expression
   function: (member_expression object: (identifier) @_o property: (property_identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#any-of? @_o "chromium" "firefox" "webkit" "puppeteer")
  (#any-of? @_fn "connectOverCDP" "connect"))

; new Redis({host: "session-db"}), connect-redis's new RedisStore({host: "session-db"})
((new_expression constructor: (identifier) @_fn arguments: (arguments . (_) @target))
  (#set! scheme "redis") (#any-of? @_fn "Redis" "IORedis" "RedisStore"))

((new_expression
   constructor: (member_expression property: (property_identifier) @_fn)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "MongoClient" "Redis" "Sequelize" "Kafka"))

((new_expression constructor: (identifier) @_fn arguments: (arguments . (_) @target))
  (#set! strength "weak") (#any-of? @_fn "Client" "Pool"))

; ORM connection options ({type: "mysql", host: "db", port: 3307} or {url}): NestJS's
; TypeOrmModule / SequelizeModule / MongooseModule.forRoot(...), TypeORM's new DataSource(...);
; the driver (``type``, Sequelize's ``dialect``) gives the scheme and so the default port
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "TypeOrmModule" "SequelizeModule" "MongooseModule") (#eq? @_m "forRoot"))

((new_expression constructor: (identifier) @_fn arguments: (arguments . (object) @target))
  (#eq? @_fn "DataSource"))

; forRootAsync({useFactory: (config: ConfigService) => ({type, url: config.get("X")})}): the
; options object the factory returns
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (object
     (pair key: (property_identifier) @_k
       value: (arrow_function body: (parenthesized_expression (object) @target))))))
  (#any-of? @_fn "TypeOrmModule" "SequelizeModule" "MongooseModule") (#eq? @_m "forRootAsync")
  (#eq? @_k "useFactory"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "mongoose" "MongoClient" "amqp" "amqplib" "redis" "mysql" "mysql2" "mqtt" "net" "io")
  (#any-of? @_m "connect" "createConnection" "createClient" "createPool"))

; NATS: nats.connect(url | {servers}[, options]); node-nats-streaming's
; nats.connect(clusterId, clientId, {url}) names its server in the third argument (the
; first two are names, no address)
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target .))
  (#eq? @_fn "nats") (#eq? @_m "connect"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @target . (_) .))
  (#eq? @_fn "nats") (#eq? @_m "connect"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) . (_) . (_) @target .))
  (#set! scheme "nats") (#any-of? @_fn "nats" "stan") (#eq? @_m "connect"))

((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
   arguments: (arguments . (_) @idle . (_) . (_) .))
  (#any-of? @_fn "nats" "stan") (#eq? @_m "connect"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @target))
  (#set! strength "weak") (#any-of? @_fn "createClient" "createConnection" "connect" "io"))

; ---- string building
((new_expression constructor: (identifier) @_fn arguments: (arguments . (_) @form.value .)) @form
  (#eq? @_fn "URL"))

((new_expression constructor: (identifier) @_fn arguments: (arguments . (_) . (_) @form.value .)) @form
  (#eq? @_fn "URL"))

((call_expression
   function: (member_expression object: (identifier) @_u property: (property_identifier) @_fn)
   arguments: (arguments) @form.args) @form
  (#set! form "join") (#eq? @_u "url") (#eq? @_fn "resolve"))

((call_expression function: (identifier) @_fn arguments: (arguments) @form.args) @form
  (#set! form "join") (#set! sep "/") (#any-of? @_fn "urlJoin" "urljoin"))

((call_expression
   function: (member_expression object: (identifier) @_u property: (property_identifier) @_fn)
   arguments: (arguments . (_) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_u "util") (#eq? @_fn "format"))

((call_expression function: (identifier) @_fn arguments: (arguments . (_) @form.value .)) @form
  (#any-of? @_fn "String" "encodeURI" "Number" "parseInt"))

; a port read as a number: parseInt(process.env.DB_PORT, 10) is the variable's digits
((call_expression function: (identifier) @_fn arguments: (arguments . (_) @form.value . (_) .)) @form
  (#eq? @_fn "parseInt"))

; a number read with unary plus: +(process.env.DB_PORT || 3306) is the variable's digits
((unary_expression operator: "+" argument: (_) @form.value) @form)

((call_expression
   function: (member_expression object: (array) @form.value property: (property_identifier) @_fn)
   arguments: (arguments . (_) @form.string .)) @form
  (#set! form "join-list") (#eq? @_fn "join"))

((call_expression
   function: (member_expression object: (_) @form.value property: (property_identifier) @_fn)
   arguments: (arguments) @_args) @form
  (#any-of? @_fn "toString" "trim" "toLowerCase") (#eq? @_args "()"))

; ---- the program's own listeners
((call_expression
   function: (member_expression property: (property_identifier) @_fn)
   arguments: (arguments) @listen)
  (#any-of? @_fn "listen" "bind" "bindAsync"))

; NestJS: NestFactory.createMicroservice(AppModule, {transport: Transport.TCP, options: {port}}),
; app.connectMicroservice({...}): the options say where it listens (discover/code/listen_ports.py);
; TypeScript parses ``await NestFactory.createMicroservice<T>(...)`` with the await inside
((call_expression
   function: [
     (member_expression property: (property_identifier) @_fn)
     (await_expression (member_expression property: (property_identifier) @_fn))]
   arguments: (arguments) @listen)
  (#any-of? @_fn "createMicroservice" "connectMicroservice"))

; ---- messages: console, loggers, errors
((call_expression
   function: (member_expression object: (_) @_recv property: (property_identifier) @_fn)
   arguments: (arguments) @quiet)
  (#match? @_recv "(?i)(console|log|logger|winston|pino|bunyan)$"))

((call_expression function: (identifier) @_fn arguments: (arguments) @quiet)
  (#any-of? @_fn "debug" "log" "alert" "warn"))

(throw_statement) @quiet

((new_expression constructor: (identifier) @_fn arguments: (arguments) @quiet)
  (#match? @_fn "Error$"))

((pair key: (_) @_k value: (_) @quiet)
  (#match? @_k "^[\"']?(\\$schema|\\$id|xmlns|homepage|href|license|repository|bugs|docs|documentation|description)[\"']?$"))

;; section: definitions

(variable_declarator name: (identifier) @def.name value: (_) @def.value)
(assignment_expression left: (identifier) @def.name right: (_) @def.value)
(assignment_expression
  left: (member_expression object: (this) property: (property_identifier) @def.field)
  right: (_) @def.value)
((variable_declarator
   name: (object_pattern (shorthand_property_identifier_pattern) @def.name @def.value)
   value: (member_expression object: (identifier) @_p property: (property_identifier) @_e))
  (#eq? @_p "process") (#eq? @_e "env"))
((variable_declarator
   name: (object_pattern
     (object_assignment_pattern left: (shorthand_property_identifier_pattern) @def.name) @def.value)
   value: (member_expression object: (identifier) @_p property: (property_identifier) @_e))
  (#eq? @_p "process") (#eq? @_e "env"))
(arrow_function parameter: (identifier) @param)
(for_in_statement left: (identifier) @loop)
(for_in_statement left: (_ (identifier) @loop))

;; section: calls

(call_expression function: (identifier) @call.name arguments: (arguments) @call.args) @call
(call_expression
  function: (member_expression object: (_) @call.object property: (property_identifier) @call.name)
  arguments: (arguments) @call.args) @call
(new_expression constructor: (identifier) @call.name arguments: (arguments) @call.args) @call
