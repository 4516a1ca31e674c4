; Rust call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
([(string_literal) (raw_string_literal)] @seed
  (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: env::var("X"), std::env::var("X"), dotenv::var("X")
((call_expression
   function: (scoped_identifier path: (_) @_p name: (identifier) @_fn)
   arguments: (arguments . (_) @env.name .)) @env
  (#match? @_p "(^|::)(env|dotenv|dotenvy)$") (#any-of? @_fn "var" "var_os"))

; clap: a field of a Parser struct with `#[clap(env)]` / `#[arg(env)]` reads the env var
; named after the field (PG_HOST for pg_host); `env = "NAME"` names it
; (a bare `env`: the last argument, or one a comma follows; not `env = "NAME"`)
((field_declaration_list
   (attribute_item (attribute (identifier) @_fn arguments: (token_tree (identifier) @_e .)))
   .
   (field_declaration name: (field_identifier) @env.name) @env)
  (#set! env "field") (#any-of? @_fn "clap" "arg") (#eq? @_e "env"))
((field_declaration_list
   (attribute_item (attribute (identifier) @_fn arguments: (token_tree (identifier) @_e . ",")))
   .
   (field_declaration name: (field_identifier) @env.name) @env)
  (#set! env "field") (#any-of? @_fn "clap" "arg") (#eq? @_e "env"))
((field_declaration_list
   (attribute_item
     (attribute (identifier) @_fn
       arguments: (token_tree (identifier) @_d . "=" . (string_literal) @env.default (identifier) @_e .)))
   .
   (field_declaration name: (field_identifier) @env.name) @env)
  (#set! env "field") (#any-of? @_fn "clap" "arg") (#eq? @_e "env") (#eq? @_d "default_value"))
((field_declaration_list
   (attribute_item
     (attribute (identifier) @_fn
       arguments: (token_tree (identifier) @_e . "=" . (string_literal) @env.name)))
   .
   (field_declaration) @env)
  (#any-of? @_fn "clap" "arg") (#eq? @_e "env"))

; ---- HTTP: reqwest::get(url), client.get(url), Client::new().post(url), hyper/ureq/surf
((call_expression
   function: (scoped_identifier path: (_) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#match? @_fn "^(reqwest|ureq|surf|isahc)(::blocking)?$") (#any-of? @_m "get" "post" "put" "delete" "patch" "head"))

((call_expression
   function: (field_expression value: (_) @_fn field: (field_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! strength "weak") (#match? @_fn "(?i)client")
  (#any-of? @_m "get" "post" "put" "delete" "patch" "head"))

((call_expression
   function: (field_expression value: (_) @_fn field: (field_identifier) @_m)
   arguments: (arguments . (_) . (_) @target))
  (#set! strength "weak") (#match? @_fn "(?i)client") (#eq? @_m "request"))

; ---- gRPC (tonic): Channel::from_static(url), Endpoint::from_shared(url), XClient::connect(url)
((call_expression
   function: (scoped_identifier path: (identifier) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! kind "grpc") (#any-of? @_fn "Channel" "Endpoint")
  (#any-of? @_m "from_static" "from_shared" "new" "try_from"))

((call_expression
   function: (scoped_identifier path: (_) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#set! kind "grpc") (#match? @_fn "[A-Za-z]Client$") (#eq? @_m "connect"))

((call_expression
   function: (scoped_identifier path: (identifier) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @form.value)) @form
  (#any-of? @_fn "Channel" "Endpoint") (#any-of? @_m "from_static" "from_shared" "new" "try_from"))

((call_expression
   function: (scoped_identifier path: (_) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @stub.conn .))
  (#match? @_fn "[A-Za-z]Client$") (#any-of? @_m "new" "with_interceptor"))

; ---- databases, caches, brokers, sockets
((call_expression
   function: (scoped_identifier path: (_) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#match? @_fn "(^|::)(redis::Client|Client|Connection|TcpStream|UdpSocket|PgPool|MySqlPool|SqlitePool|AnyPool|Pool|async_nats|nats|PgConnection|MySqlConnection)$")
  (#any-of? @_m "open" "with_uri_str" "connect" "connect_lazy"))

((call_expression
   function: (field_expression value: (_) @_fn field: (field_identifier) @_m)
   arguments: (arguments . (_) @target))
  (#match? @_fn "PoolOptions::new\\(\\)") (#any-of? @_m "connect" "connect_lazy"))

((call_expression
   function: (scoped_identifier path: (identifier) @_fn name: (identifier) @_m)
   arguments: (arguments . (_) @target))
  (#any-of? @_fn "async_nats" "nats" "tokio_postgres" "postgres") (#eq? @_m "connect"))

((call_expression
   function: (field_expression field: (field_identifier) @_fn)
   arguments: (arguments . (string_literal) @_k . (_) @target))
  (#eq? @_fn "set") (#match? @_k "bootstrap\\.servers"))

; ---- string building: pass-through conversions, defaults
((call_expression
   function: (field_expression value: (_) @form.value field: (field_identifier) @_fn)
   arguments: (arguments)) @form
  (#any-of? @_fn "to_string" "into" "clone" "to_owned" "as_str" "as_ref" "unwrap" "expect"
    "parse" "connect" "connect_lazy" "borrow" "deref" "to_lowercase" "trim"))

((call_expression
   function: (field_expression value: (_) @form.value field: (field_identifier) @_fn)
   arguments: (arguments . (_) @form.part .)) @form
  (#set! form "default") (#any-of? @_fn "unwrap_or" "unwrap_or_else"))

((call_expression
   function: (scoped_identifier path: (identifier) @_s name: (identifier) @_fn)
   arguments: (arguments . (_) @form.value .)) @form
  (#any-of? @_s "String" "Uri" "Url") (#any-of? @_fn "from" "from_static" "parse"))

; ---- the program's own listeners: server.bind(addr), warp::serve(..).run(addr); a module's
; own function named run (consumer::run("amqp://...")) is no listener
((call_expression
   function: (scoped_identifier name: (identifier) @_fn)
   arguments: (arguments) @listen)
  (#any-of? @_fn "bind" "serve" "listen"))
((call_expression
   function: (field_expression field: (field_identifier) @_fn)
   arguments: (arguments) @listen)
  (#any-of? @_fn "bind" "serve" "listen" "run"))

; ---- messages: println!, log/tracing macros, panics, expect("...")
((macro_invocation macro: [(identifier) @_fn (scoped_identifier name: (identifier) @_fn)]) @quiet
  (#any-of? @_fn "println" "eprintln" "print" "eprint" "panic" "unreachable" "todo"
    "unimplemented" "assert" "assert_eq" "debug_assert" "trace" "debug" "info" "warn" "error"
    "event" "bail" "anyhow" "ensure" "write" "writeln"))

((call_expression
   function: (field_expression field: (field_identifier) @_fn)
   arguments: (arguments) @quiet)
  (#any-of? @_fn "expect" "context" "with_context"))

; ---- unit tests in the file: #[cfg(test)] mod tests { ... } and #[test] functions
((attribute_item (attribute (identifier) @_a arguments: (token_tree (identifier) @_t)))
  .
  (mod_item) @test
  (#eq? @_a "cfg") (#eq? @_t "test"))

((attribute_item (attribute [(identifier) (scoped_identifier)] @_a))
  .
  (function_item) @test
  (#match? @_a "^(test|tokio::test)$"))

;; section: definitions

(let_declaration pattern: (identifier) @def.name value: (_) @def.value)
(let_declaration pattern: (mut_pattern (identifier) @def.name) value: (_) @def.value)
(const_item name: (identifier) @def.name value: (_) @def.value)
(static_item name: (identifier) @def.name value: (_) @def.value)
(assignment_expression left: (identifier) @def.name right: (_) @def.value)
(parameter pattern: (identifier) @param)
(parameter pattern: (mut_pattern (identifier) @param))
(closure_parameters (identifier) @param)
(for_expression pattern: (identifier) @loop)

;; section: calls

(call_expression function: (identifier) @call.name arguments: (arguments) @call.args) @call
(call_expression
  function: (field_expression value: (_) @call.object field: (field_identifier) @call.name)
  arguments: (arguments) @call.args) @call
