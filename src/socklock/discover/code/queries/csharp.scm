; C# call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string_literal) @seed (#match? @seed "://|:[0-9][0-9]|(?i:server|host|data source)="))
((verbatim_string_literal) @seed (#match? @seed "://|:[0-9][0-9]"))
((raw_string_literal) @seed (#match? @seed "://|:[0-9][0-9]"))
((interpolated_string_expression) @seed (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: Environment.GetEnvironmentVariable("X"); configuration["A:B"]; GetValue<T>("X", d)
((invocation_expression
   function: (member_access_expression expression: (identifier) @_e name: (identifier) @_fn)
   arguments: (argument_list . (argument . (_) @env.name))) @env
  (#eq? @_e "Environment") (#eq? @_fn "GetEnvironmentVariable"))

((element_access_expression
   expression: (_) @_fn
   subscript: (bracketed_argument_list . (argument (string_literal) @env.name))) @env
  (#set! env "aspnet") (#match? @_fn "(?i)config(uration)?$"))

((invocation_expression
   function: (member_access_expression
     expression: (_) @_fn
     name: (generic_name (identifier) @_m))
   arguments: (argument_list . (argument (string_literal) @env.name) . (argument)? @env.default)) @env
  (#set! env "aspnet") (#match? @_fn "(?i)config(uration)?$") (#eq? @_m "GetValue"))

; configuration.GetRequiredValue("X") / GetValue("X", d) without a type argument
((invocation_expression
   function: (member_access_expression expression: (_) @_c name: (identifier) @_fn)
   arguments: (argument_list . (argument (string_literal) @env.name) . (argument)? @env.default)) @env
  (#set! env "aspnet") (#match? @_c "(?i)config(uration)?$") (#any-of? @_fn "GetValue" "GetRequiredValue"))

; a section's keys: section["Url"], section.GetValue<T>("Url"), GetRequiredValue("Url") where
; section = configuration.GetSection("Identity") (its key prefix, a form below)
((element_access_expression
   expression: (_) @env.prefix @_fn
   subscript: (bracketed_argument_list . (argument (string_literal) @env.name))) @env
  (#set! env "aspnet-section") (#match? @_fn "(?i)(section|Get(Required)?Section\\(.*\\))$"))

((invocation_expression
   function: (member_access_expression
     expression: (_) @env.prefix
     name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument (string_literal) @env.name) . (argument)? @env.default)) @env
  (#set! env "aspnet-section") (#match? @env.prefix "(?i)(section|Get(Required)?Section\\(.*\\))$")
  (#any-of? @_fn "GetValue" "GetRequiredValue"))

; configuration.GetConnectionString("X") reads ConnectionStrings:X
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list . (argument (string_literal) @env.name) .)) @env
  (#set! env "aspnet-connection-string") (#eq? @_fn "GetConnectionString"))

; Aspire client integrations: builder.AddRedisClient("cache"), AddNpgsqlDbContext<T>("catalogdb"),
; AddNpgsqlDataSource("db"), AddRabbitMQClient("bus") read ConnectionStrings:<name>
((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument (string_literal) @env.name))) @env
  (#set! env "aspnet-connection-string")
  (#match? @_fn "^Add[A-Z][A-Za-z0-9]*(Client|DbContext|DbContextPool|DataSource)$")
  (#not-match? @_fn "^Add(Http|Grpc|Dapr)Client$"))

; ---- HttpClient
((invocation_expression
   function: (member_access_expression
     expression: (_) @_recv
     name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument) @target))
  (#match? @_recv "(?i)(http|client)$")
  (#match? @_fn "^(Get|Post|Put|Delete|Patch)(String|Stream|ByteArray|FromJson|AsJson)?Async$"))

((object_creation_expression type: (identifier) @_fn arguments: (argument_list . (argument) . (argument) @target))
  (#eq? @_fn "HttpRequestMessage"))

((assignment_expression left: [(identifier) @_fn (member_access_expression name: (identifier) @_fn)] right: (_) @target)
  (#any-of? @_fn "BaseAddress" "RequestUri"))

; JwtBearer / OpenIdConnect options: the authority's discovery document and signing keys are
; fetched from it (options.Authority = identityUrl, options.MetadataAddress = ...)
((assignment_expression left: [(identifier) @_fn (member_access_expression name: (identifier) @_fn)] right: (_) @target)
  (#any-of? @_fn "Authority" "MetadataAddress"))

; ---- gRPC: GrpcChannel.ForAddress(address); new Catalog.CatalogClient(channel); AddGrpcClient(o => o.Address = ...)
((invocation_expression
   function: (member_access_expression expression: (identifier) @_g name: (identifier) @_fn)
   arguments: (argument_list . (argument) @target))
  (#set! kind "grpc") (#eq? @_g "GrpcChannel") (#eq? @_fn "ForAddress"))

((invocation_expression
   function: (member_access_expression expression: (identifier) @_g name: (identifier) @_fn)
   arguments: (argument_list . (argument) @form.value)) @form
  (#eq? @_g "GrpcChannel") (#eq? @_fn "ForAddress"))

((assignment_expression left: (member_access_expression name: (identifier) @_fn) right: (_) @target)
  (#set! kind "grpc") (#eq? @_fn "Address"))

((object_creation_expression
   type: (qualified_name) @_fn
   arguments: (argument_list . (argument (identifier) @stub.conn) .))
  (#match? @_fn "\\.[A-Za-z0-9_]+Client$") (#match? @stub.conn "(?i)chan"))

;; ---- service-discovery names (socklock/discover/names.py): resolved to the workload by name
; Dapr: daprClient.InvokeMethodAsync<T>("orders", "method"), InvokeMethodAsync(HttpMethod.Get,
; "orders", "method"), CreateInvokeMethodRequest(...), DaprClient.CreateInvokeHttpClient("orders")
((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument (_) @target .)))
  (#set! service "dapr")
  (#match? @_fn "^(InvokeMethod(WithResponse|Grpc)?Async|CreateInvokeMethodRequest|CreateInvokeHttpClient)$")
  (#not-match? @target "^HttpMethod\\."))

((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument (member_access_expression) @_m) . (argument (_) @target .)))
  (#set! service "dapr")
  (#match? @_fn "^(InvokeMethod(WithResponse)?Async|CreateInvokeMethodRequest)$")
  (#match? @_m "^HttpMethod\\."))

; Dapr HTTP proxying: request.Headers.Add("dapr-app-id", "orders") on a request to the sidecar
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list . (argument (string_literal) @_k) . (argument (_) @target) .))
  (#set! service "dapr") (#any-of? @_fn "Add" "TryAddWithoutValidation")
  (#match? @_k "^\"(?i:dapr-app-id)\"$"))

; ---- databases and brokers
; EF Core: options.UseSqlServer(connectionString) (UseNpgsql, UseMySql): the database's
; connection string (``Server=db,1433;...``, ``Host=pg;...``: a key/value string, no URL)
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list . (argument) @target))
  (#any-of? @_fn "UseSqlServer" "UseNpgsql" "UseMySql" "UseMySQL"))

((object_creation_expression type: (identifier) @_fn arguments: (argument_list . (argument) @target))
  (#any-of? @_fn "MongoClient" "MongoUrl" "NpgsqlConnection" "SqlConnection" "MySqlConnection" "NpgsqlDataSource"))

((invocation_expression
   function: (member_access_expression expression: (identifier) @_fn name: (identifier) @_m)
   arguments: (argument_list . (argument) @target))
  (#set! scheme "redis") (#any-of? @_fn "ConnectionMultiplexer" "NpgsqlDataSource") (#any-of? @_m "Connect" "ConnectAsync" "Create"))

; MassTransit: x.UsingRabbitMq((context, cfg) => { cfg.Host("rabbitmq", "/", h => ...); })
; (Bus.Factory.CreateUsingRabbitMq likewise): the broker's host name or rabbitmq:// address,
; the Host call a statement or kept (``var host = cfg.Host(new Uri(url), h => ...)``)
((invocation_expression
   function: (member_access_expression name: (identifier) @_using)
   arguments: (argument_list
     (argument
       (lambda_expression
         body: [
           (block (expression_statement
             (invocation_expression
               function: (member_access_expression name: (identifier) @_fn)
               arguments: (argument_list . (argument) @target.host))))
           (block (local_declaration_statement (variable_declaration (variable_declarator
             (invocation_expression
               function: (member_access_expression name: (identifier) @_fn)
               arguments: (argument_list . (argument) @target.host))))))
           (invocation_expression
             function: (member_access_expression name: (identifier) @_fn)
             arguments: (argument_list . (argument) @target.host))]))))
  (#set! scheme "amqp") (#any-of? @_using "UsingRabbitMq" "CreateUsingRabbitMq") (#eq? @_fn "Host"))

; EasyNetQ: RabbitHutch.CreateBus("host=rabbit:5672;username=guest"): its connection string
((invocation_expression
   function: (member_access_expression expression: (identifier) @_o name: (identifier) @_fn)
   arguments: (argument_list . (argument) @target))
  (#eq? @_o "RabbitHutch") (#eq? @_fn "CreateBus"))

; services.AddStackExchangeRedisCache(options => options.Configuration = redisAddress)
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list
     (argument
       (lambda_expression
         body: [
           (block (expression_statement
             (assignment_expression
               left: (member_access_expression name: (identifier) @_k) right: (_) @target)))
           (assignment_expression
             left: (member_access_expression name: (identifier) @_k) right: (_) @target)]))))
  (#set! scheme "redis") (#eq? @_fn "AddStackExchangeRedisCache") (#eq? @_k "Configuration"))

; Serilog sinks that send to a server: .WriteTo.Seq(url), .WriteTo.Http(url), .WriteTo.GrafanaLoki(url)
((invocation_expression
   function: (member_access_expression
     expression: (member_access_expression name: (identifier) @_fn)
     name: (identifier) @_sink)
   arguments: (argument_list . (argument) @target))
  (#eq? @_fn "WriteTo") (#any-of? @_sink "Seq" "Http" "DurableHttpUsingFileSizeRolledBuffers" "GrafanaLoki"))

((assignment_expression left: (identifier) @_fn right: (_) @target.host)
  (#set! scheme "amqp") (#eq? @_fn "HostName"))

; Confluent.Kafka: new ConsumerConfig { BootstrapServers = ... } (and producers, admin)
((assignment_expression left: (identifier) @_fn right: (_) @target)
  (#set! scheme "kafka") (#eq? @_fn "BootstrapServers"))

((assignment_expression left: (identifier) @_fn right: (_) @target)
  (#set! strength "weak") (#eq? @_fn "Uri"))

; ---- string building
((invocation_expression
   function: (member_access_expression expression: (_) @_s name: (identifier) @_fn)
   arguments: (argument_list . (argument) @form.string) @form.args) @form
  (#set! form "braces") (#any-of? @_s "string" "String") (#eq? @_fn "Format"))

((invocation_expression
   function: (member_access_expression expression: (_) @_s name: (identifier) @_fn)
   arguments: (argument_list) @form.args) @form
  (#set! form "join") (#any-of? @_s "string" "String") (#eq? @_fn "Concat"))

((object_creation_expression type: (identifier) @_fn arguments: (argument_list . (argument) @form.value .)) @form
  (#eq? @_fn "Uri"))

; StackExchange.Redis: ConfigurationOptions.Parse(connectionString) handed to ConnectionMultiplexer.Connect
((invocation_expression
   function: (member_access_expression expression: (identifier) @_c name: (identifier) @_fn)
   arguments: (argument_list . (argument) @form.value)) @form
  (#eq? @_c "ConfigurationOptions") (#eq? @_fn "Parse"))

; new Uri(baseUri, "relative"): the base and the path, joined
((object_creation_expression type: (identifier) @_fn arguments: (argument_list) @form.args) @form
  (#set! form "join") (#eq? @_fn "Uri") (#match? @form.args ","))

((invocation_expression
   function: (member_access_expression expression: (_) @form.value name: (identifier) @_fn)
   arguments: (argument_list) @_args) @form
  (#any-of? @_fn "ToString" "Trim" "TrimEnd" "ToLowerInvariant") (#eq? @_args "()"))

; a DNS lookup of a host is that host (Dns.GetHostEntryAsync(h).Result.AddressList.First(...)
; handed to a client connects to h): the lookup, and the steps that pick one of its addresses
((invocation_expression
   function: (member_access_expression expression: (identifier) @_c name: (identifier) @_fn)
   arguments: (argument_list . (argument) @form.value)) @form
  (#eq? @_c "Dns") (#match? @_fn "^GetHost(Entry|Addresses)(Async)?$"))

((member_access_expression expression: (_) @form.value name: (identifier) @_m) @form
  (#any-of? @_m "Result" "AddressList") (#match? @form.value "^Dns\\.GetHost"))

((invocation_expression
   function: (member_access_expression expression: (_) @form.value name: (identifier) @_fn)) @form
  (#any-of? @_fn "First" "FirstOrDefault" "Single" "Last") (#match? @form.value "^Dns\\.GetHost"))

; ---- the program's own listeners
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list) @listen)
  (#any-of? @_fn "Run" "RunAsync" "UseUrls" "Listen" "ListenAnyIP" "ListenLocalhost"))

((invocation_expression
   function: (member_access_expression expression: (member_access_expression name: (identifier) @_u) name: (identifier) @_fn)
   arguments: (argument_list) @listen)
  (#eq? @_u "Urls") (#eq? @_fn "Add"))

; ---- messages: console, loggers, exceptions, attributes
((invocation_expression
   function: (member_access_expression expression: (identifier) @_c name: (identifier) @_fn)
   arguments: (argument_list) @quiet)
  (#any-of? @_c "Console" "Debug" "Trace"))

((invocation_expression
   function: (member_access_expression expression: (_) @_recv name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list) @quiet)
  (#match? @_fn "^(Log[A-Z][a-z]*|Log|Information|Warning|Error|Debug|Verbose|Fatal)$"))

(throw_statement) @quiet
(throw_expression) @quiet

((attribute name: (_) @_fn) @quiet
  (#match? @_fn "^(Xml|Json|Schema|Description|Obsolete|Display)"))

; ---- a settable property's initializer (``public string OrdersApi { get; set; } = "https://orders"``
; in an options class a shared library holds): the default of a setting that configuration binding
; overwrites, a call only in a program that reads the property, which is not followed here (fail
; closed: every service referencing the library would call every default)
(property_declaration
  accessors: (accessor_list (accessor_declaration ["set" "init"]))
  value: (_) @quiet)

; the key prefix of a configuration section
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list . (argument (string_literal) @form.value) .)) @form
  (#any-of? @_fn "GetSection" "GetRequiredSection"))

; ---- URLs handed to a browser or an identity provider's clients, or compared with a token's
; claims, not called: OIDC client redirect URIs, the client's public URI, CORS origins, the
; issuers and audiences a token may name
((assignment_expression left: [(identifier) @_fn (member_access_expression name: (identifier) @_fn)] right: (_) @idle)
  (#match? @_fn "^(RedirectUris?|PostLogoutRedirectUris?|SignedOutRedirectUri|ClientUri|AllowedCorsOrigins|ValidIssuers?|ValidAudiences?)$"))

; ---- connection-name wrappers: an extension method that hands its string parameter to a client
; integration (``AddRabbitMqEventBus(this builder, string name) { builder.AddRabbitMQClient(name); }``)
; is declared by name; every ``x.AddSomething("literal")`` call is declared too, and the calls of
; a declared wrapper read ConnectionStrings:<literal> (socklock.discover.code_evidence)
((method_declaration
   name: (identifier) @declare
   parameters: (parameter_list (parameter name: (identifier) @_p))
   body: (block
     (expression_statement
       (invocation_expression
         function: (member_access_expression
           name: [(identifier) @_fn (generic_name (identifier) @_fn)])
         arguments: (argument_list . (argument (identifier) @_a))))))
  (#set! declare "connection-wrapper") (#eq? @_p @_a)
  (#match? @_fn "^Add[A-Z][A-Za-z0-9]*(Client|DbContext|DbContextPool|DataSource)$")
  (#not-match? @_fn "^Add(Http|Grpc|Dapr)Client$"))

((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])
   arguments: (argument_list . (argument (string_literal)))) @declare
  (#set! declare "connection-call") (#match? @_fn "^Add[A-Z]")
  (#not-match? @_fn "^Add[A-Za-z0-9]*(Client|DbContext|DbContextPool|DataSource)$"))

; configuration read from a Dapr secret store as well as the environment
; (``builder.Configuration.AddDaprSecretStore("store", client)``): its keys are config keys
((invocation_expression
   function: (member_access_expression name: (identifier) @_fn)
   arguments: (argument_list . (argument (_) @declare.value))) @declare
  (#set! declare "dapr-secret-store") (#eq? @_fn "AddDaprSecretStore"))

; Azure Storage clients the code builds (``new QueueClient(...)``, Orleans'
; ``UseAzureStorageClustering``): a connection string's endpoint of another service is not
; its call (socklock.discover.azure_storage)
((object_creation_expression type: (_) @_fn) @declare
  (#set! declare "azure-storage-blob")
  (#match? @_fn "(^|[.])(Blob(Service|Container|Batch)?Client|(Block|Append|Page)BlobClient|CloudBlobClient|CloudBlobContainer)$"))
((object_creation_expression type: (_) @_fn) @declare
  (#set! declare "azure-storage-queue")
  (#match? @_fn "(^|[.])(Queue(Service)?Client|CloudQueueClient|CloudQueue)$"))
((object_creation_expression type: (_) @_fn) @declare
  (#set! declare "azure-storage-table")
  (#match? @_fn "(^|[.])(Table(Service)?Client|CloudTableClient|CloudTable)$"))
((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])) @declare
  (#set! declare "azure-storage-blob")
  (#match? @_fn "^(AddBlobServiceClient|AddAzureBlobClient|AddAzureBlobGrainStorage(AsDefault)?|ConfigureBlobServiceClient|GetBlobContainerClient|CreateCloudBlobClient)$"))
((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])) @declare
  (#set! declare "azure-storage-queue")
  (#match? @_fn "^(AddQueueServiceClient|AddAzureQueueClient|AddAzureQueueStreams|ConfigureQueueServiceClient|GetQueueClient|CreateCloudQueueClient)$"))
((invocation_expression
   function: (member_access_expression name: [(identifier) @_fn (generic_name (identifier) @_fn)])) @declare
  (#set! declare "azure-storage-table")
  (#match? @_fn "^(AddTableServiceClient|AddAzureTableClient|UseAzureStorageClustering|UseAzureTableReminderService|AddAzureTableGrainStorage(AsDefault)?|ConfigureTableServiceClient|GetTableClient|CreateCloudTableClient)$"))

; ---- a service registry's health check in a registration: new AgentServiceCheck { HTTP = url }
; (Consul .NET client): the registry's agent polls that URL (code_evidence.py)
((object_creation_expression
   type: (identifier) @_t
   initializer: (initializer_expression
     (assignment_expression left: (identifier) @_k right: (_) @declare @_fn)))
  (#set! declare "registry-check") (#match? @_fn "://")
  (#any-of? @_t "AgentServiceCheck" "AgentCheckRegistration") (#any-of? @_k "HTTP" "GRPC"))

;; section: definitions

(variable_declarator name: (identifier) @def.name "=" . (_) @def.value)
(assignment_expression left: (identifier) @def.name operator: "=" right: (_) @def.value)
; a field set in a constructor (``_baseUrl = configuration["Orders:Url"];``) is read by every method
(constructor_declaration
  body: (block
    (expression_statement
      (assignment_expression left: (identifier) @def.field operator: "=" right: (_) @def.value))))
(assignment_expression
  left: (member_access_expression expression: "this" name: (identifier) @def.field)
  operator: "="
  right: (_) @def.value)
(property_declaration name: (identifier) @def.field value: (_) @def.value)
(parameter name: (identifier) @param)
(parameter name: (identifier) @param "=" . (_) @param.default)
(foreach_statement left: (identifier) @loop)

;; section: calls

(invocation_expression function: (identifier) @call.name arguments: (argument_list) @call.args) @call
(invocation_expression
  function: (member_access_expression expression: (_) @call.object name: (identifier) @call.name)
  arguments: (argument_list) @call.args) @call
(object_creation_expression type: (identifier) @call.name arguments: (argument_list) @call.args) @call

;; section: types
; declared types of names, for properties read from an options object (socklock.discover.code.options)

(parameter type: (_) @type name: (identifier) @name)
(variable_declaration type: (_) @type (variable_declarator name: (identifier) @name))
(property_declaration type: (_) @type name: (identifier) @name)
