/** Generated from event.proto by scripts/gen-proto-schemas.js; do not edit. */
import type { INamespace } from 'protobufjs';

/** The protobufjs JSON descriptor of event.proto. */
export const EVENT_SCHEMA = {
  "nested": {
    "tensorboard": {
      "nested": {
        "Event": {
          "oneofs": {
            "what": {
              "oneof": [
                "file_version",
                "summary"
              ]
            }
          },
          "fields": {
            "wall_time": {
              "type": "double",
              "id": 1
            },
            "step": {
              "type": "int64",
              "id": 2
            },
            "file_version": {
              "type": "string",
              "id": 3
            },
            "summary": {
              "type": "Summary",
              "id": 5
            }
          }
        },
        "Summary": {
          "fields": {
            "value": {
              "rule": "repeated",
              "type": "Value",
              "id": 1
            }
          },
          "nested": {
            "Value": {
              "oneofs": {
                "value": {
                  "oneof": [
                    "simple_value",
                    "histo",
                    "tensor"
                  ]
                }
              },
              "fields": {
                "node_name": {
                  "type": "string",
                  "id": 7
                },
                "tag": {
                  "type": "string",
                  "id": 1
                },
                "metadata": {
                  "type": "SummaryMetadata",
                  "id": 9
                },
                "simple_value": {
                  "type": "float",
                  "id": 2
                },
                "histo": {
                  "type": "HistogramProto",
                  "id": 5
                },
                "tensor": {
                  "type": "TensorProto",
                  "id": 8
                }
              }
            }
          }
        },
        "SummaryMetadata": {
          "fields": {
            "plugin_data": {
              "type": "PluginData",
              "id": 1
            },
            "display_name": {
              "type": "string",
              "id": 2
            },
            "summary_description": {
              "type": "string",
              "id": 3
            }
          },
          "nested": {
            "PluginData": {
              "fields": {
                "plugin_name": {
                  "type": "string",
                  "id": 1
                },
                "content": {
                  "type": "bytes",
                  "id": 2
                }
              }
            }
          }
        },
        "HistogramProto": {
          "fields": {
            "min": {
              "type": "double",
              "id": 1
            },
            "max": {
              "type": "double",
              "id": 2
            },
            "num": {
              "type": "double",
              "id": 3
            },
            "sum": {
              "type": "double",
              "id": 4
            },
            "sum_squares": {
              "type": "double",
              "id": 5
            },
            "bucket_limit": {
              "rule": "repeated",
              "type": "double",
              "id": 6,
              "options": {
                "packed": true
              }
            },
            "bucket": {
              "rule": "repeated",
              "type": "double",
              "id": 7,
              "options": {
                "packed": true
              }
            }
          }
        },
        "DataType": {
          "values": {
            "DT_INVALID": 0,
            "DT_FLOAT": 1,
            "DT_DOUBLE": 2,
            "DT_INT32": 3,
            "DT_STRING": 7,
            "DT_BOOL": 10
          }
        },
        "TensorShapeProto": {
          "fields": {
            "dim": {
              "rule": "repeated",
              "type": "Dim",
              "id": 2
            },
            "unknown_rank": {
              "type": "bool",
              "id": 3
            }
          },
          "nested": {
            "Dim": {
              "fields": {
                "size": {
                  "type": "int64",
                  "id": 1
                },
                "name": {
                  "type": "string",
                  "id": 2
                }
              }
            }
          }
        },
        "TensorProto": {
          "fields": {
            "dtype": {
              "type": "DataType",
              "id": 1
            },
            "tensor_shape": {
              "type": "TensorShapeProto",
              "id": 2
            },
            "version_number": {
              "type": "int32",
              "id": 3
            },
            "tensor_content": {
              "type": "bytes",
              "id": 4
            },
            "float_val": {
              "rule": "repeated",
              "type": "float",
              "id": 5,
              "options": {
                "packed": true
              }
            },
            "double_val": {
              "rule": "repeated",
              "type": "double",
              "id": 6,
              "options": {
                "packed": true
              }
            },
            "string_val": {
              "rule": "repeated",
              "type": "bytes",
              "id": 8
            }
          }
        },
        "TextPluginData": {
          "fields": {
            "version": {
              "type": "int32",
              "id": 1
            }
          }
        },
        "HParamsPluginData": {
          "oneofs": {
            "data": {
              "oneof": [
                "experiment",
                "session_start_info",
                "session_end_info"
              ]
            }
          },
          "fields": {
            "version": {
              "type": "int32",
              "id": 1
            },
            "experiment": {
              "type": "Experiment",
              "id": 2
            },
            "session_start_info": {
              "type": "SessionStartInfo",
              "id": 3
            },
            "session_end_info": {
              "type": "SessionEndInfo",
              "id": 4
            }
          }
        },
        "Experiment": {
          "fields": {
            "name": {
              "type": "string",
              "id": 6
            },
            "description": {
              "type": "string",
              "id": 1
            },
            "user": {
              "type": "string",
              "id": 2
            },
            "time_created_secs": {
              "type": "double",
              "id": 3
            },
            "hparam_infos": {
              "rule": "repeated",
              "type": "HParamInfo",
              "id": 4
            },
            "metric_infos": {
              "rule": "repeated",
              "type": "MetricInfo",
              "id": 5
            }
          }
        },
        "HParamDataType": {
          "values": {
            "DATA_TYPE_UNSET": 0,
            "DATA_TYPE_STRING": 1,
            "DATA_TYPE_BOOL": 2,
            "DATA_TYPE_FLOAT64": 3
          }
        },
        "HParamInfo": {
          "fields": {
            "name": {
              "type": "string",
              "id": 1
            },
            "display_name": {
              "type": "string",
              "id": 2
            },
            "description": {
              "type": "string",
              "id": 3
            },
            "type": {
              "type": "HParamDataType",
              "id": 4
            }
          }
        },
        "MetricName": {
          "fields": {
            "group": {
              "type": "string",
              "id": 1
            },
            "tag": {
              "type": "string",
              "id": 2
            }
          }
        },
        "MetricInfo": {
          "fields": {
            "name": {
              "type": "MetricName",
              "id": 1
            },
            "display_name": {
              "type": "string",
              "id": 3
            },
            "description": {
              "type": "string",
              "id": 4
            }
          }
        },
        "Status": {
          "values": {
            "STATUS_UNKNOWN": 0,
            "STATUS_SUCCESS": 1,
            "STATUS_FAILURE": 2,
            "STATUS_RUNNING": 3
          }
        },
        "SessionStartInfo": {
          "fields": {
            "hparams": {
              "keyType": "string",
              "type": "Value",
              "id": 1
            },
            "model_uri": {
              "type": "string",
              "id": 2
            },
            "monitor_url": {
              "type": "string",
              "id": 3
            },
            "group_name": {
              "type": "string",
              "id": 4
            },
            "start_time_secs": {
              "type": "double",
              "id": 5
            }
          }
        },
        "SessionEndInfo": {
          "fields": {
            "status": {
              "type": "Status",
              "id": 1
            },
            "end_time_secs": {
              "type": "double",
              "id": 2
            }
          }
        },
        "Value": {
          "oneofs": {
            "kind": {
              "oneof": [
                "null_value",
                "number_value",
                "string_value",
                "bool_value"
              ]
            }
          },
          "fields": {
            "null_value": {
              "type": "int32",
              "id": 1
            },
            "number_value": {
              "type": "double",
              "id": 2
            },
            "string_value": {
              "type": "string",
              "id": 3
            },
            "bool_value": {
              "type": "bool",
              "id": 4
            }
          }
        }
      }
    }
  }
} as INamespace;
