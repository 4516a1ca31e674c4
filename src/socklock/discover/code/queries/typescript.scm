; TypeScript-only patterns (parameters and class fields differ from JavaScript).

;; section: targets

;; section: definitions

(public_field_definition name: (property_identifier) @def.field value: (_) @def.value)
(required_parameter pattern: (identifier) @param value: (_)? @param.default)
(optional_parameter pattern: (identifier) @param value: (_)? @param.default)
(required_parameter pattern: (rest_pattern (identifier) @param))
