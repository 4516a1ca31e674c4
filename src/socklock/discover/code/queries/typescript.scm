; TypeScript-only patterns (parameters and class fields differ from JavaScript).

;; section: targets
; NestJS @nestjs/config: a factory's parameter typed ConfigService, whatever its name
; (useFactory: (config: ConfigService) => ({url: config.get("DATABASE_URL")}))
((arrow_function
   parameters: (formal_parameters
     (required_parameter pattern: (identifier) @_p type: (type_annotation (type_identifier) @_t)))
   body: (parenthesized_expression (object (pair value: (call_expression
     function: (member_expression object: (identifier) @_fn property: (property_identifier) @_m)
     arguments: (arguments . (string) @env.name .)) @env))))
  (#eq? @_t "ConfigService") (#eq? @_p @_fn) (#any-of? @_m "get" "getOrThrow"))

;; section: definitions

(public_field_definition name: (property_identifier) @def.field value: (_) @def.value)
(required_parameter pattern: (identifier) @param value: (_)? @param.default)
(optional_parameter pattern: (identifier) @param value: (_)? @param.default)
(required_parameter pattern: (rest_pattern (identifier) @param))
