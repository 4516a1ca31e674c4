; Go call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn names the function: the prefilter
; searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((interpreted_string_literal) @seed
  (#match? @seed "://|:[0-9][0-9]|@tcp\\("))
((raw_string_literal) @seed
  (#match? @seed "://|:[0-9][0-9]|@tcp\\("))

; ---- env reads: os.Getenv("X"), os.LookupEnv("X")
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @env.name)) @env
  (#eq? @_pkg "os") (#any-of? @_fn "Getenv" "LookupEnv"))

; the command line: flag.Arg(0), the first argument after the flags
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (int_literal) @env.name .)) @env
  (#set! env "argument") (#eq? @_pkg "flag") (#eq? @_fn "Arg"))

; named flags: flag.String("backend-url", "http://backend", ""), fs.StringSlice(...) (pflag):
; the container's args give them (`--backend-url=...`), as pseudo env FLAG.backend-url
((call_expression
   function: (selector_expression operand: (_) @_set field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal) @env.name . (_) @env.default . (_) .)) @env
  (#set! env "flag") (#match? @_set "(?i)^(flag|pflag|fs|flags|flagset|.*\\.Flags\\(\\)|.*PersistentFlags\\(\\))$")
  (#any-of? @_fn "String" "StringSlice" "StringArray"))

((call_expression
   function: (selector_expression operand: (_) @_set field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (interpreted_string_literal) @env.name . (_) @env.default . (_) .)) @env
  (#set! env "flag") (#match? @_set "(?i)^(flag|pflag|fs|flags|flagset|.*\\.Flags\\(\\)|.*PersistentFlags\\(\\))$")
  (#any-of? @_fn "StringVar" "StringSliceVar" "StringArrayVar"))

; struct fields filled from the environment: `env:"CART_URL" envDefault:"..."` (caarlos0/env),
; `envconfig:"CART_URL" default:"..."` (kelseyhightower/envconfig)
((field_declaration tag: (raw_string_literal) @env.name) @env
  (#set! env "struct-tag") (#match? @env.name "(env|envconfig):\"[A-Za-z_]"))

; struct fields filled by viper.Unmarshal after AutomaticEnv(): `mapstructure:"CART_URL"`, env
; CART_URL (a key spelled as an env var; discover/code/go_conf_tags.py checks the binding)
((field_declaration tag: (raw_string_literal) @env.name) @env
  (#set! env "viper-tag") (#match? @env.name "(^|[` ])mapstructure:\"[A-Z][A-Z0-9_]*\""))

; struct fields filled by ardanlabs/conf: `conf:"default:http://auth:6000"`, env PREFIX_AUTH_HOST
; (the variable's name comes from the field's path: discover/code/go_conf_tags.py)
((field_declaration tag: (raw_string_literal) @env.name) @env
  (#set! env "conf-tag") (#match? @env.name "(^|[` ])conf:\"[^\"]"))

; viper.GetString("cart.url") with AutomaticEnv: env CART_URL
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal) @env.name)) @env
  (#set! env "spring-property") (#eq? @_pkg "viper") (#match? @_fn "^Get(String|Int|StringSlice)?$"))

; viper.SetDefault("cart.url", "http://cart"): a key the program reads, which AutomaticEnv lets
; env CART_URL override (viper.Unmarshal reads the keys it knows)
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal) @env.name . (_) @env.default .)) @env
  (#set! env "spring-property") (#eq? @_pkg "viper") (#eq? @_fn "SetDefault"))

; helpers such as getEnv("X", "default"), envOrDefault("X", "default")
((call_expression
   function: [(identifier) @_fn (selector_expression field: (field_identifier) @_fn)]
   arguments: (argument_list . (interpreted_string_literal) @env.name . (_)? @env.default)) @env
  (#match? @_fn "(?i)^(get_?env(_?or(_?default|_?else)?|_?default)?|env_?or(_?default|_?else)?|must_?get_?env|lookup_?env_?or(_?default)?|env_?default)$")
  (#match? @env.name "^\"[A-Z][A-Z0-9_]*\"$"))

; ---- net/http: the URL is the first argument
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_pkg "http") (#any-of? @_fn "Get" "Head" "Post" "PostForm"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @target))
  (#eq? @_pkg "http") (#eq? @_fn "NewRequest"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) . (_) @target))
  (#eq? @_pkg "http") (#eq? @_fn "NewRequestWithContext"))

; an *http.Client: client.Get(url), s.httpClient.Post(url, ...)
((call_expression
   function: (selector_expression operand: (_) @_recv field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#set! strength "weak") (#match? @_recv "(?i)client$") (#any-of? @_fn "Get" "Head" "Post" "PostForm"))

; ---- gRPC: grpc.Dial(target), grpc.NewClient(target), grpc.DialContext(ctx, target)
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#set! kind "grpc") (#eq? @_pkg "grpc") (#any-of? @_fn "Dial" "NewClient"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @target))
  (#set! kind "grpc") (#eq? @_pkg "grpc") (#eq? @_fn "DialContext"))

; a stub on a connection: pb.NewCatalogServiceClient(conn)
((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . [(identifier) (selector_expression)] @stub.conn .))
  (#match? @_fn "^New[A-Za-z0-9_]+Client$")
  (#match? @stub.conn "(?i)(conn|cc|chan)[A-Za-z0-9_]*$"))

;; ---- service-discovery names (socklock/discover/names.py): resolved to the workload by name
; Dapr: client.InvokeMethod(ctx, "orders", "method", "get") calls the app-id through the sidecar
((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @target))
  (#set! service "dapr") (#match? @_fn "^InvokeMethod(WithContent|WithCustomContent)?$"))

; Dapr HTTP proxying: req.Header.Set("dapr-app-id", "orders") on a request to the sidecar
((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal) @_k . (_) @target .))
  (#set! service "dapr") (#any-of? @_fn "Set" "Add") (#match? @_k "^\"(?i:dapr-app-id)\"$"))

; a Consul resolver target built anywhere: dialer.Dial(fmt.Sprintf("consul://%s/%s", agent, name))
((call_expression
   function: (selector_expression operand: (identifier) @_p field: (field_identifier) @_f)
   arguments: (argument_list . (interpreted_string_literal) @_fn)) @target
  (#set! kind "grpc") (#eq? @_p "fmt") (#eq? @_f "Sprintf") (#match? @_fn "consul://"))

; Consul: a module that registers as a service (&api.AgentServiceRegistration{Name: "srv-geo"})
((composite_literal
   type: [(type_identifier) @_fn (qualified_type name: (type_identifier) @_fn)]
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_k) value: (literal_element (_) @declare.value)))) @declare
  (#set! declare "service-name") (#eq? @_fn "AgentServiceRegistration") (#eq? @_k "Name"))

; go-micro: a service named micro.NewService(micro.Name("shop.service.orders")) (a web
; service: web.Name, its name as a constant too); its clients call it by that name through
; the registry: pb.NewOrdersService("shop.service.orders", c), or a constant of it
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . [(interpreted_string_literal) (identifier)] @declare.value .)) @declare
  (#set! declare "service-name") (#any-of? @_pkg "micro" "web") (#eq? @_fn "Name"))

((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . (interpreted_string_literal) @target . (_) @_c .))
  (#set! service "discovery") (#match? @_fn "^New[A-Za-z0-9_]+Service$")
  (#match? @target "^\"[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+\"$") (#match? @_c "(?i)client"))

((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . (identifier) @target . (_) @_c .))
  (#set! service "discovery") (#match? @_fn "^New[A-Za-z0-9_]+Service$")
  (#match? @target "(?i)name$") (#match? @_c "(?i)client"))

; A registry of the program's own (an interface over Consul, etcd, memory):
; registry.Register(ctx, instanceID, serviceName, addr) registers under serviceName;
; grpcutil.ServiceConnection(ctx, "orders", registry) and registry.ServiceAddresses(ctx,
; "orders") look the service up by name
((call_expression
   function: (selector_expression operand: (_) @_r field: (field_identifier) @_fn)
   arguments: (argument_list (identifier) @declare.value)) @declare
  (#set! declare "service-name") (#eq? @_fn "Register") (#match? @_r "(?i)registry$")
  (#match? @declare.value "(?i)^(service|svc)_?name$"))

((call_expression
   function: (_) @_f
   arguments: (argument_list (interpreted_string_literal) @target . (_) @_fn .))
  (#set! service "discovery") (#match? @_fn "(?i)registry") (#match? @_fn "(?i)registry$")
  (#match? @target "^\"[A-Za-z0-9_.-]+\"$")
  (#not-match? @_f "(?i)(metric|counter|gauge|histogram|meter|timer|summary|register)"))

((call_expression
   function: (selector_expression operand: (_) @_r field: (field_identifier) @_fn)
   arguments: (argument_list (interpreted_string_literal) @target))
  (#set! service "discovery") (#match? @_r "(?i)registry$")
  (#any-of? @_fn "ServiceAddresses" "ServiceAddress" "Discover" "Lookup" "Resolve" "Instances"))

; go-kit's Consul instancer: consulsd.NewInstancer(client, logger, "orders", tags, passing)
; watches the instances of the service registered under that name
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) . (interpreted_string_literal) @target))
  (#set! service "consul") (#match? @_pkg "consul") (#eq? @_fn "NewInstancer"))

; Consul: client.Health().Service("orders", "", true, nil), client.Catalog().Service("orders", ...)
((call_expression
   function: (selector_expression
     operand: (call_expression function: (selector_expression field: (field_identifier) @_api))
     field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#set! service "consul") (#any-of? @_api "Health" "Catalog") (#any-of? @_fn "Service" "ServiceMultipleTags" "Connect"))

; ---- sockets, databases, brokers
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @target))
  (#any-of? @_pkg "net" "tls") (#any-of? @_fn "Dial" "DialTimeout"))

((call_expression
   function: (selector_expression operand: (_) @_recv field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) . (_) @target))
  (#match? @_recv "(?i)dialer$") (#eq? @_fn "DialContext"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @target))
  (#any-of? @_pkg "sql" "sqlx") (#any-of? @_fn "Open" "Connect"))

((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_fn "ApplyURI"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#any-of? @_pkg "amqp" "amqp091" "rabbitmq") (#any-of? @_fn "Dial" "DialTLS" "DialConfig"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_pkg "nats") (#eq? @_fn "Connect"))

; mgo (gopkg.in/mgo.v2, globalsign/mgo): mgo.Dial("mongodb" | "db:27017" | "mongodb://...")
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#set! scheme "mongodb") (#eq? @_pkg "mgo") (#any-of? @_fn "Dial" "DialWithTimeout"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#eq? @_pkg "redis") (#eq? @_fn "ParseURL"))

((composite_literal
   type: (qualified_type package: (package_identifier) @_pkg name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element
       key: (literal_element (identifier) @_key)
       value: (literal_element (_) @target))))
  (#set! scheme "redis") (#eq? @_pkg "redis") (#match? @_fn "Options$") (#eq? @_key "Addr"))

((call_expression
   function: (selector_expression operand: (_) @_recv field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#match? @_recv "Dialer$") (#any-of? @_fn "Dial" "DialContext"))

; ---- Kafka: producers and consumers both call the broker; the topic is evidence
; kafka-go: kafka.ReaderConfig{Brokers: ..., Topic: ...}, kafka.Writer{Addr: kafka.TCP(...)}
((composite_literal
   type: (qualified_type name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_key) value: (literal_element (_) @target))))
  (#set! scheme "kafka") (#match? @_fn "^(Reader|Writer|Dialer)Config$|^Writer$")
  (#any-of? @_key "Brokers" "Addr"))

((composite_literal
   type: (qualified_type name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_key) value: (literal_element (_) @target))
     (keyed_element key: (literal_element (identifier) @_t) value: (literal_element (_) @target.topic))))
  (#set! scheme "kafka") (#match? @_fn "^(Reader|Writer)Config$|^Writer$")
  (#any-of? @_key "Brokers" "Addr") (#eq? @_t "Topic"))

((composite_literal
   type: (qualified_type name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_t) value: (literal_element (_) @target.topic))
     (keyed_element key: (literal_element (identifier) @_key) value: (literal_element (_) @target))))
  (#set! scheme "kafka") (#match? @_fn "^(Reader|Writer)Config$|^Writer$")
  (#any-of? @_key "Brokers" "Addr") (#eq? @_t "Topic"))

; kafka.DialLeader(ctx, "tcp", addr, topic, partition)
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) . (_) @target . (_) @target.topic))
  (#set! scheme "kafka") (#match? @_pkg "kafka") (#eq? @_fn "DialLeader"))

; confluent-kafka-go: &kafka.ConfigMap{"bootstrap.servers": ...}
((composite_literal
   type: (qualified_type name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element key: (literal_element (interpreted_string_literal) @_key) value: (literal_element (_) @target))))
  (#set! scheme "kafka") (#eq? @_fn "ConfigMap") (#eq? @_key "\"bootstrap.servers\""))

; sarama: NewSyncProducer(brokers, config), NewConsumerGroup(brokers, group, config)...
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @target))
  (#set! scheme "kafka") (#eq? @_pkg "sarama")
  (#match? @_fn "^New(Sync|Async)?(Producer|Consumer|ConsumerGroup|Client|ClusterAdmin)$"))

; ---- string building
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @form.string) @form.args) @form
  (#set! form "printf") (#eq? @_pkg "fmt") (#eq? @_fn "Sprintf"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#eq? @_pkg "fmt") (#eq? @_fn "Sprint"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#set! sep ":") (#eq? @_pkg "net") (#eq? @_fn "JoinHostPort"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#set! sep "/") (#eq? @_pkg "url") (#eq? @_fn "JoinPath"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @form.value)) @form
  (#any-of? @_pkg "url" "strconv" "strings" "grpc")
  (#any-of? @_fn "Parse" "Itoa" "TrimSuffix" "TrimRight" "TrimSpace" "Dial" "NewClient"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) . (_) @form.value)) @form
  (#eq? @_pkg "grpc") (#eq? @_fn "DialContext"))

((call_expression
   function: (selector_expression operand: (_) @form.value field: (field_identifier) @_fn)
   arguments: (argument_list) @_args) @form
  (#eq? @_fn "String") (#eq? @_args "()"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @form.value . (_) @form.string .)) @form
  (#set! form "join-list") (#eq? @_pkg "strings") (#eq? @_fn "Join"))

; kafka.TCP("kafka-0:9092", "kafka-1:9092"): the broker list
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#set! sep ",") (#match? @_pkg "kafka") (#eq? @_fn "TCP"))

; ---- the program's own listeners
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @listen)
  (#any-of? @_pkg "http" "net" "tls") (#any-of? @_fn "ListenAndServe" "ListenAndServeTLS" "Listen" "ListenPacket" "Serve"))

((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list) @listen)
  (#any-of? @_fn "ListenAndServe" "ListenAndServeTLS" "Listen" "Run" "RunTLS" "Start" "StartTLS"))

((composite_literal
   type: (qualified_type package: (package_identifier) @_pkg name: (type_identifier) @_fn)
   body: (literal_value
     (keyed_element
       key: (literal_element (identifier) @_key)
       value: (literal_element (_) @listen))))
  (#eq? @_pkg "http") (#eq? @_fn "Server") (#eq? @_key "Addr"))

; ---- messages: logs, prints, errors, panics
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @quiet)
  (#any-of? @_pkg "log" "slog" "klog" "glog" "errors"))

((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list) @quiet)
  (#eq? @_pkg "fmt") (#match? @_fn "^(Print|Fprint|Errorf)"))

((call_expression
   function: (selector_expression field: (field_identifier) @_fn)
   arguments: (argument_list) @quiet)
  (#match? @_fn "^(Debug|Info|Warn|Warning|Error|Fatal|Panic|Trace|Print|Log)(f|w|ln|Context)?$"))

((call_expression function: (identifier) @_fn arguments: (argument_list) @quiet)
  (#any-of? @_fn "panic" "print" "println"))

; ---- dials that send nothing
; the "outbound address" idiom: conn, _ := net.Dial("udp", "8.8.8.8:80") then
; conn.LocalAddr(): connecting a UDP socket only picks a route, no packet leaves
((_
   (short_var_declaration
     left: (expression_list . (identifier) @_conn)
     right: (expression_list
       (call_expression
         function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
         arguments: (argument_list . (interpreted_string_literal) @_net . (_) @idle))))
   (short_var_declaration
     right: (expression_list
       [(call_expression
          function: (selector_expression operand: (identifier) @_use field: (field_identifier) @_la))
        (type_assertion_expression
          operand: (call_expression
            function: (selector_expression operand: (identifier) @_use field: (field_identifier) @_la)))])))
  (#eq? @_pkg "net") (#eq? @_fn "Dial") (#match? @_net "^\"udp[46]?\"$") (#eq? @_la "LocalAddr")
  (#eq? @_conn @_use))

; viper's AutomaticEnv(): every key of the program's config file is overridden by the env
; var of its name (``cqrs.service_url`` by CQRS_SERVICE_URL, with SetEnvKeyReplacer)
((call_expression function: (selector_expression field: (field_identifier) @_fn)) @declare
  (#set! declare "env-bound-config") (#eq? @_fn "AutomaticEnv"))

; ---- a service registry's health check in a registration: &api.AgentServiceCheck{HTTP: url}
; (Consul's API client): the registry's agent polls that URL (code_evidence.py)
((composite_literal
   type: [(type_identifier) @_t (qualified_type name: (type_identifier) @_t)]
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_k) value: (literal_element (_) @declare @_fn))))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#any-of? @_t "AgentServiceCheck" "AgentCheckRegistration") (#any-of? @_k "HTTP" "GRPC"))

; the same check on the program's own address, whatever the URL's host (os.Hostname(), the
; first interface address): the agent polls the workload (its port when the URL is not
; resolved); a TCP check connects, a GRPC one calls grpc.health.v1
((composite_literal
   type: [(type_identifier) @_t (qualified_type name: (type_identifier) @_t)]
   body: (literal_value
     (keyed_element key: (literal_element (identifier) @_k) value: (literal_element (_))))) @declare
  (#set! declare "consul-check") (#any-of? @_t "AgentServiceCheck" "AgentCheckRegistration")
  (#any-of? @_k "HTTP" "GRPC" "TCP"))

;; section: definitions

(short_var_declaration left: (expression_list) @def.name right: (expression_list) @def.value)
(assignment_statement left: (expression_list) @def.name operator: "=" right: (expression_list) @def.value)
(var_spec name: (identifier) @def.name value: (expression_list) @def.value)
(const_spec name: (identifier) @def.name value: (expression_list) @def.value)
; mustMapEnv(&svc.addr, "ADDR"): a function of this file stores through the pointer
(call_expression
  function: (identifier)
  arguments: (argument_list
    (unary_expression operator: "&" operand: [(identifier) (selector_expression)] @def.out))) @def.value
(parameter_declaration name: (identifier) @param)
(variadic_parameter_declaration name: (identifier) @param)
(range_clause left: (expression_list) @loop)

;; section: calls

(call_expression function: (identifier) @call.name arguments: (argument_list) @call.args) @call
(call_expression
  function: (selector_expression operand: (_) @call.object field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @call

