"""What every stage stands on: the error hierarchy, where data lives and its cache, strict YAML and schemas, lazy regexes, the sandboxed Jinja environment."""
