//! Fixtures of the component rules (`component.rs`): small multi-component repositories
//! per language, one component per framework. A component finding has no line, so its
//! expectation is a line `component-path | message substring` of the `EXPECT` pseudo-file;
//! a component without one must produce no finding of the rule. Every source here is
//! our own.

use crate::rule::Case;

pub static HEALTH: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.get("/items")
def items():
    return {"items": []}
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"fastapi/main.py"#,
                r#"from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
async def items():
    return []
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"aio/server.py"#,
                r#"from aiohttp import web


async def items(request):
    return web.json_response([])

app = web.Application()
app.router.add_get("/items", items)
web.run_app(app, port=8080)
"#,
            ),
            (
                r#"aio/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"django/urls.py"#,
                r#"from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items),
]
"#,
            ),
            (
                r#"django/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def GetOrder(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | no health or readiness endpoint found
fastapi | no health or readiness endpoint found
aio | no health or readiness endpoint found
django | no health or readiness endpoint found
grpcsvc | no health or readiness endpoint found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.route("/healthz")
def healthz():
    return "ok"
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"fastapi/main.py"#,
                r#"from fastapi import FastAPI

app = FastAPI()


@app.get("/readyz")
async def ready():
    return {"ok": True}
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"aio/server.py"#,
                r#"from aiohttp import web


async def health(request):
    return web.Response(text="ok")

app = web.Application()
app.router.add_get("/health", health)
web.run_app(app, port=8080)
"#,
            ),
            (
                r#"aio/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"django/urls.py"#,
                r#"from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items),
    path("health/", views.health),
]
"#,
            ),
            (
                r#"django/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

from grpc_health.v1 import health, health_pb2_grpc


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"bento/service.py"#,
                r#"import bentoml
from bentoml.io import JSON

runner = bentoml.sklearn.get("iris:latest").to_runner()
svc = bentoml.Service("iris", runners=[runner])
"#,
            ),
            (
                r#"bento/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"loadgen/locustfile.py"#,
                r#"from locust import HttpUser, task


class Shopper(HttpUser):
    @task
    def browse(self):
        self.client.get("/")
"#,
            ),
            (
                r#"loadgen/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"nethttp/main.go"#,
                r#"package main

import (
	"net/http"
)

func main() {
	http.HandleFunc("/items", items)
	http.ListenAndServe(":8080", nil)
}

func items(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"nethttp/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"gin/main.go"#,
                r#"package main

import (
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/items", items)
	r.Run()
}

func items(c *gin.Context) {}
"#,
            ),
            (
                r#"gin/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"echo/main.go"#,
                r#"package main

import (
	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.GET("/items", items)
	e.Start(":8080")
}

func items(c echo.Context) error { return nil }
"#,
            ),
            (
                r#"echo/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"chi/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Get("/items", items)
	http.ListenAndServe(":8080", r)
}

func items(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"chi/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"fiber/main.go"#,
                r#"package main

import (
	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Get("/items", items)
	app.Listen(":3000")
}

func items(c *fiber.Ctx) error { return nil }
"#,
            ),
            (
                r#"fiber/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	pb.RegisterCatalogServiceServer(srv, &catalog{})
	srv.Serve(lis)
}

type catalog struct {
	pb.UnimplementedCatalogServiceServer
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"nethttp | no health or readiness endpoint found
gin | no health or readiness endpoint found
echo | no health or readiness endpoint found
chi | no health or readiness endpoint found
fiber | no health or readiness endpoint found
grpcsvc | no health or readiness endpoint found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"nethttp/main.go"#,
                r#"package main

import (
	"net/http"
)

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"nethttp/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"gin/main.go"#,
                r#"package main

import (
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/health", func(c *gin.Context) { c.String(200, "ok") })
	r.Run()
}
"#,
            ),
            (
                r#"gin/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"echo/main.go"#,
                r#"package main

import (
	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.GET("/livez", func(c echo.Context) error { return nil })
	e.Start(":8080")
}
"#,
            ),
            (
                r#"echo/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"chi/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Get("/ready", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(":8080", r)
}
"#,
            ),
            (
                r#"chi/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"fiber/main.go"#,
                r#"package main

import (
	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Get("/ping", func(c *fiber.Ctx) error { return c.SendString("pong") })
	app.Listen(":3000")
}
"#,
            ),
            (
                r#"fiber/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer())
	srv.Serve(lis)
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"fastify/server.js"#,
                r#"const fastify = require('fastify')();

fastify.get('/items', async () => []);
fastify.listen({ port: 3000 });
"#,
            ),
            (
                r#"fastify/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"koa/server.js"#,
                r#"const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
router.get('/items', (ctx) => { ctx.body = []; });
app.use(router.routes());
app.listen(3000);
"#,
            ),
            (
                r#"koa/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"nest/src/main.ts"#,
                r#"import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
"#,
            ),
            (
                r#"nest/src/items.controller.ts"#,
                r#"import { Controller, Get } from '@nestjs/common';

@Controller('items')
export class ItemsController {
  @Get()
  findAll() {
    return [];
  }
}
"#,
            ),
            (
                r#"nest/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"grpcsvc/server.js"#,
                r#"const grpc = require('@grpc/grpc-js');

const server = new grpc.Server();
server.addService(proto.CatalogService.service, { listProducts });
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => server.start());
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | no health or readiness endpoint found
fastify | no health or readiness endpoint found
koa | no health or readiness endpoint found
nest | no health or readiness endpoint found
grpcsvc | no health or readiness endpoint found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/healthz', (req, res) => res.send('ok'));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"fastify/server.js"#,
                r#"const fastify = require('fastify')();

fastify.route({ method: 'GET', url: '/health', handler: async () => 'ok' });
fastify.listen({ port: 3000 });
"#,
            ),
            (
                r#"fastify/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"koa/server.js"#,
                r#"const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
router.get('/health', (ctx) => { ctx.body = 'ok'; });
app.use(router.routes());
app.listen(3000);
"#,
            ),
            (
                r#"koa/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"nest/src/main.ts"#,
                r#"import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
"#,
            ),
            (
                r#"nest/src/health.controller.ts"#,
                r#"import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

@Controller('health')
export class HealthController {
  constructor(private health: HealthCheckService) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([]);
  }
}
"#,
            ),
            (
                r#"nest/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"grpcsvc/server.js"#,
                r#"const grpc = require('@grpc/grpc-js');

function check(call, callback) {
  callback(null, { status: 'SERVING' });
}

const server = new grpc.Server();
server.addService(healthProto.Health.service, { check });
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => server.start());
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/src/main/java/shop/Server.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;

public final class Main {
  public static void main(String[] args) throws Exception {
    Server server = ServerBuilder.forPort(9555).addService(new CatalogImpl()).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"dropwizard/src/main/java/shop/App.java"#,
                r#"package shop;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;

public class App extends Application<AppConfig> {
  @Override
  public void run(AppConfig config, Environment env) {
    env.jersey().register(new ItemResource());
  }
}
"#,
            ),
            (
                r#"dropwizard/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no health or readiness endpoint found
dropwizard | no health or readiness endpoint found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/health")
  public String health() {
    return "ok";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"actuator/src/main/java/shop/DbHealth.java"#,
                r#"package shop;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class DbHealth implements HealthIndicator {
  @Override
  public Health health() {
    return Health.up().build();
  }
}
"#,
            ),
            (
                r#"actuator/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"grpcsvc/src/main/java/shop/Server.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

public final class Main {
  public static void main(String[] args) throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    Server server = ServerBuilder.forPort(9555).addService(health.getHealthService()).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"dropwizard/src/main/java/shop/App.java"#,
                r#"package shop;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;

public class App extends Application<AppConfig> {
  @Override
  public void run(AppConfig config, Environment env) {
    env.healthChecks().register("db", new DbCheck());
  }
}

class DbCheck extends HealthCheck {
  @Override
  protected Result check() {
    return Result.healthy();
  }
}
"#,
            ),
            (
                r#"dropwizard/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static SHUTDOWN: &[Case] = &[
    Case {
        files: &[
            (
                r#"flaskdev/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.get("/items")
def items():
    return []


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
"#,
            ),
            (
                r#"flaskdev/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpckbi/server.py"#,
                r#"import time
from concurrent import futures

import grpc


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    server.add_insecure_port("[::]:50051")
    server.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop(0)


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpckbi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"exitonly/server.py"#,
                r#"import signal
import sys
from concurrent import futures

import grpc

server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server.add_insecure_port("[::]:50051")
server.start()
server.wait_for_termination()
"#,
            ),
            (
                r#"exitonly/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flaskdev | no SIGTERM handling and no server drain
grpckbi | no SIGTERM handling and no server drain
exitonly | SIGTERM is handled but in-flight requests are not drained
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcdrain/server.py"#,
                r#"import signal
from concurrent import futures

import grpc

server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))


def on_sigterm(signum, frame):
    server.stop(grace=25)


signal.signal(signal.SIGTERM, on_sigterm)
server.add_insecure_port("[::]:50051")
server.start()
server.wait_for_termination()
"#,
            ),
            (
                r#"grpcdrain/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"uvicorn/main.py"#,
                r#"import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
async def items():
    return []


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
"#,
            ),
            (
                r#"uvicorn/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"gunicorn/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.get("/items")
def items():
    return {"items": []}
"#,
            ),
            (
                r#"gunicorn/gunicorn.conf.py"#,
                r#"bind = "0.0.0.0:8000"
workers = 4
graceful_timeout = 25
"#,
            ),
            (
                r#"gunicorn/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"aio/server.py"#,
                r#"from aiohttp import web


async def items(request):
    return web.json_response([])

app = web.Application()
app.router.add_get("/items", items)
web.run_app(app, port=8080)
"#,
            ),
            (
                r#"aio/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"worker/tasks.py"#,
                r#"from celery import Celery

app = Celery("tasks", broker="redis://redis:6379/0")


@app.task
def send_email(to):
    return to
"#,
            ),
            (
                r#"worker/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"nethttp/main.go"#,
                r#"package main

import (
	"net/http"
)

func main() {
	http.HandleFunc("/items", items)
	http.ListenAndServe(":8080", nil)
}

func items(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"nethttp/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"usr1/main.go"#,
                r#"package main

import (
	"net"
	"os"
	"os/signal"
	"syscall"
	"google.golang.org/grpc"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	srv.Serve(lis)
}
"#,
            ),
            (
                r#"usr1/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"nethttp | no SIGTERM handling and no server drain
usr1 | no SIGTERM handling and no server drain
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"http/main.go"#,
                r#"package main

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	go srv.ListenAndServe()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	srv.Shutdown(shutdownCtx)
}
"#,
            ),
            (
                r#"http/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"os"
	"os/signal"
	"syscall"
	"google.golang.org/grpc"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	go srv.Serve(lis)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	srv.GracefulStop()
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"sigint/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
const server = app.listen(3000);
process.on('SIGINT', () => server.close());
"#,
            ),
            (
                r#"sigint/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | no SIGTERM handling and no server drain
sigint | nothing runs it on SIGTERM
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"grpcsvc/server.js"#,
                r#"const grpc = require('@grpc/grpc-js');

const server = new grpc.Server();
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => server.start());
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"nest/src/main.ts"#,
                r#"import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();
"#,
            ),
            (
                r#"nest/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/src/main/java/shop/Server.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;

public final class Main {
  public static void main(String[] args) throws Exception {
    Server server = ServerBuilder.forPort(9555).addService(new CatalogImpl()).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no SIGTERM handling and no server drain
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/src/main/java/shop/Server.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;

public final class Main {
  private static Server server;

  public static void main(String[] args) throws Exception {
    server = ServerBuilder.forPort(9555).build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown()));
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static METRICS: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.get("/items")
def items():
    return {"items": []}
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"worker/tasks.py"#,
                r#"from celery import Celery

app = Celery("tasks", broker="redis://redis:6379/0")


@app.task
def send_email(to):
    return to
"#,
            ),
            (
                r#"worker/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | no metrics instrumentation found
worker | no metrics instrumentation found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask
from prometheus_client import Counter, start_http_server

app = Flask(__name__)
ORDERS = Counter("orders_total", "Orders placed")
start_http_server(9100)
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"fastapi/main.py"#,
                r#"from fastapi import FastAPI
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()
Instrumentator().instrument(app).expose(app)
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"worker/worker.py"#,
                r#"import statsd
from celery import Celery

app = Celery("w")
stats = statsd.StatsClient("statsd", 8125)
"#,
            ),
            (
                r#"worker/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"django/urls.py"#,
                r#"from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items),
]
"#,
            ),
            (
                r#"django/settings.py"#,
                r#"INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_prometheus",
]
"#,
            ),
            (
                r#"django/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"bento/service.py"#,
                r#"import bentoml
from bentoml.io import JSON

runner = bentoml.sklearn.get("iris:latest").to_runner()
svc = bentoml.Service("iris", runners=[runner])
"#,
            ),
            (
                r#"bento/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	initStats()
	srv.Serve(lis)
}

func initStats() {
	// TODO(team) Implement OpenTelemetry stats
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"gin/main.go"#,
                r#"package main

import (
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/items", items)
	r.Run()
}

func items(c *gin.Context) {}
"#,
            ),
            (
                r#"gin/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no metrics instrumentation found
gin | no metrics instrumentation found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"prom/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	http.Handle("/metrics", promhttp.Handler())
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"prom/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"otel/main.go"#,
                r#"package main

import (
	"net/http"
	"go.opentelemetry.io/otel"
)

func main() {
	meter := otel.Meter("shop")
	_ = meter
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"otel/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"grpcsvc/server.js"#,
                r#"const grpc = require('@grpc/grpc-js');

const server = new grpc.Server();
server.addService(proto.CatalogService.service, { listProducts });
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => server.start());
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | no metrics instrumentation found
grpcsvc | no metrics instrumentation found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"prom/server.js"#,
                r#"const express = require('express');
const client = require('prom-client');

client.collectDefaultMetrics();
const app = express();
app.get('/metrics', async (req, res) => res.send(await client.register.metrics()));
app.listen(3000);
"#,
            ),
            (
                r#"prom/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"statsd/server.js"#,
                r#"const express = require('express');
const StatsD = require('hot-shots');

const stats = new StatsD();
const app = express();
app.listen(3000);
"#,
            ),
            (
                r#"statsd/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/src/main/java/shop/Main.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;

public final class Main {
  private static void initStats() {
    // TODO(team) Implement OpenTelemetry stats
  }

  public static void main(String[] args) throws Exception {
    initStats();
    Server server = ServerBuilder.forPort(9555).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no metrics instrumentation found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/OrderController.java"#,
                r#"package shop;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {
  private final MeterRegistry registry;

  public OrderController(MeterRegistry registry) {
    this.registry = registry;
  }

  @PostMapping("/orders")
  public void create() {
    registry.counter("orders").increment();
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"dropwizard/src/main/java/shop/App.java"#,
                r#"package shop;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Environment;

public class App extends Application<AppConfig> {
  @Override
  public void run(AppConfig config, Environment env) {
    env.jersey().register(new ItemResource());
  }
}
"#,
            ),
            (
                r#"dropwizard/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static TRACING: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"import logging

from flask import Flask

app = Flask(__name__)


def init_tracing():
    # TODO: OpenTelemetry tracing
    logging.info("Tracing enabled - exporter initialized.")
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def GetOrder(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | no distributed tracing found
grpcsvc | no distributed tracing found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/server.py"#,
                r#"import os
from concurrent import futures

import grpc
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

if os.environ.get("ENABLE_TRACING") == "1":
    trace.set_tracer_provider(TracerProvider())

server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"flask/app.py"#,
                r#"from ddtrace import patch_all
from flask import Flask

patch_all()
app = Flask(__name__)
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
)

func main() {
	go initTracing()
	lis, _ := net.Listen("tcp", ":50051")
	grpc.NewServer().Serve(lis)
}

func initTracing() {
	// TODO Implement OpenTelemetry tracing
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"echo/main.go"#,
                r#"package main

import (
	"github.com/labstack/echo/v4"
)

func main() {
	e := echo.New()
	e.GET("/items", items)
	e.Start(":8080")
}

func items(c echo.Context) error { return nil }
"#,
            ),
            (
                r#"echo/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no distributed tracing found
echo | no distributed tracing found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"otel/main.go"#,
                r#"package main

import (
	"net/http"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
)

func main() {
	handler := otelhttp.NewHandler(http.DefaultServeMux, "shop")
	http.ListenAndServe(":8080", handler)
}
"#,
            ),
            (
                r#"otel/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"ot/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/opentracing/opentracing-go"
)

func main() {
	opentracing.SetGlobalTracer(opentracing.NoopTracer{})
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"ot/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"koa/server.js"#,
                r#"const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();
router.get('/items', (ctx) => { ctx.body = []; });
app.use(router.routes());
app.listen(3000);
"#,
            ),
            (
                r#"koa/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | no distributed tracing found
koa | no distributed tracing found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"otel/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"otel/tracing.js"#,
                r#"const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');

if (process.env.ENABLE_TRACING === '1') {
  new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
}
"#,
            ),
            (
                r#"otel/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"dd/server.js"#,
                r#"require('dd-trace').init();
const express = require('express');

const app = express();
app.listen(3000);
"#,
            ),
            (
                r#"dd/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"grpcsvc/src/main/java/shop/Main.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public final class Main {
  private static final Logger logger = LogManager.getLogger(Main.class);

  private static void initTracing() {
    // TODO(team) Implement OpenTelemetry tracing
    logger.info("Tracing enabled - Stackdriver exporter initialized.");
  }

  public static void main(String[] args) throws Exception {
    initTracing();
    Server server = ServerBuilder.forPort(9555).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"grpcsvc | no distributed tracing found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/src/main/java/shop/Tracing.java"#,
                r#"package shop;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

public final class Tracing {
  static final Tracer TRACER = GlobalOpenTelemetry.getTracer("shop");
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static LOGS: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"import logging

from flask import Flask

logging.basicConfig(level=logging.INFO)
app = Flask(__name__)


@app.get("/items")
def items():
    print("listing items")
    logging.info("request_id missing")
    return []
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"loadgen/locustfile.py"#,
                r#"from locust import HttpUser, task


class Shopper(HttpUser):
    @task
    def browse(self):
        self.client.get("/")
"#,
            ),
            (
                r#"loadgen/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | no structured (JSON / key-value) logging found
loadgen | no structured (JSON / key-value) logging found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"structlog/app.py"#,
                r#"import structlog
from flask import Flask

log = structlog.get_logger()
app = Flask(__name__)
"#,
            ),
            (
                r#"structlog/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def GetOrder(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/logger.py"#,
                r#"import logging

from pythonjsonlogger import jsonlogger


def get_logger(name):
    handler = logging.StreamHandler()
    handler.setFormatter(jsonlogger.JsonFormatter())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    return logger
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"loguru/main.py"#,
                r#"import sys

from fastapi import FastAPI
from loguru import logger

logger.add(sys.stdout, serialize=True)
app = FastAPI()
"#,
            ),
            (
                r#"loguru/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"textlog/main.go"#,
                r#"package main

import (
	"fmt"
	"log"
	"net/http"
	"github.com/sirupsen/logrus"
)

func main() {
	l := logrus.New()
	l.Formatter = &logrus.TextFormatter{}
	fmt.Println("starting")
	log.Println("listening")
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"textlog/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"textlog | no structured (JSON / key-value) logging found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"zap/main.go"#,
                r#"package main

import (
	"net/http"
	"go.uber.org/zap"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"zap/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"slog/main.go"#,
                r#"package main

import (
	"log/slog"
	"net/http"
	"os"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"slog/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"zerolog/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/rs/zerolog/log"
)

func main() {
	log.Info().Str("addr", ":8080").Msg("listening")
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"zerolog/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	pb.RegisterCatalogServiceServer(srv, &catalog{})
	srv.Serve(lis)
}

type catalog struct {
	pb.UnimplementedCatalogServiceServer
}
"#,
            ),
            (
                r#"grpcsvc/log.go"#,
                r#"package main

import "github.com/sirupsen/logrus"

var log = newLogger()

func newLogger() *logrus.Logger {
	l := logrus.New()
	l.Formatter = &logrus.JSONFormatter{}
	return l
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"console/server.js"#,
                r#"const express = require('express');
const winston = require('winston');

const logger = winston.createLogger({ format: winston.format.simple() });
const app = express();
app.listen(3000, () => console.log('listening'));
"#,
            ),
            (
                r#"console/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"console | no structured (JSON / key-value) logging found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"pino/server.js"#,
                r#"const express = require('express');
const pino = require('pino');

const logger = pino();
const app = express();
app.listen(3000, () => logger.info('listening'));
"#,
            ),
            (
                r#"pino/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"winston/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"winston/logger.js"#,
                r#"const winston = require('winston');

module.exports = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console()],
});
"#,
            ),
            (
                r#"winston/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"bunyan/server.js"#,
                r#"const bunyan = require('bunyan');
const express = require('express');

const log = bunyan.createLogger({ name: 'shop' });
const app = express();
app.listen(3000);
"#,
            ),
            (
                r#"bunyan/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import java.util.logging.Logger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  private static final Logger LOG = Logger.getLogger("items");

  @GetMapping("/items")
  public String items() {
    LOG.info("listing items");
    System.out.println("items");
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"spring | no structured (JSON / key-value) logging found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/OrderController.java"#,
                r#"package shop;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {
  private static final Logger log = LoggerFactory.getLogger(OrderController.class);

  @GetMapping("/orders")
  public String list() {
    log.info("listing", kv("count", 3));
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static REQUEST_ID: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"import logging

from flask import Flask

logging.basicConfig(level=logging.INFO)
app = Flask(__name__)


@app.get("/items")
def items():
    print("listing items")
    logging.info("request_id missing")
    return []
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def GetOrder(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | no request or correlation id found
grpcsvc | no request or correlation id found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"fastapi/main.py"#,
                r#"from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI

app = FastAPI()
app.add_middleware(CorrelationIdMiddleware)
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"flask/app.py"#,
                r#"import uuid

import structlog
from flask import Flask, request

app = Flask(__name__)
log = structlog.get_logger()


@app.before_request
def bind_request_id():
    structlog.contextvars.bind_contextvars(request_id=request.headers.get("X-Request-ID", str(uuid.uuid4())))
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"loadgen/locustfile.py"#,
                r#"from locust import HttpUser, task


class Shopper(HttpUser):
    @task
    def browse(self):
        self.client.get("/")
"#,
            ),
            (
                r#"loadgen/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"orders/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/google/uuid"
)

func main() {
	orderID := uuid.NewString()
	_ = orderID
	http.ListenAndServe(":8080", nil)
}
"#,
            ),
            (
                r#"orders/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"fiber/main.go"#,
                r#"package main

import (
	"github.com/gofiber/fiber/v2"
)

func main() {
	app := fiber.New()
	app.Get("/items", items)
	app.Listen(":3000")
}

func items(c *fiber.Ctx) error { return nil }
"#,
            ),
            (
                r#"fiber/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"orders | no request or correlation id found
fiber | no request or correlation id found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"chi/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func main() {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	http.ListenAndServe(":8080", r)
}
"#,
            ),
            (
                r#"chi/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"ctx/main.go"#,
                r#"package main

import (
	"context"
	"net/http"
	"github.com/google/uuid"
)

func main() {
	http.ListenAndServe(":8080", withRequestID(http.DefaultServeMux))
}

type ctxKeyRequestID struct{}

func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKeyRequestID{}, uuid.NewString())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
"#,
            ),
            (
                r#"ctx/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.get('/items', (req, res) => res.json([]));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | no request or correlation id found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"lib/server.js"#,
                r#"const express = require('express');
const addRequestId = require('express-request-id');

const app = express();
app.use(addRequestId());
app.listen(3000);
"#,
            ),
            (
                r#"lib/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"header/server.js"#,
                r#"const express = require('express');
const { randomUUID } = require('crypto');

const app = express();
app.use((req, res, next) => {
  req.id = req.get('X-Request-ID') || randomUUID();
  next();
});
app.listen(3000);
"#,
            ),
            (
                r#"header/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"spring | no request or correlation id found
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/RequestIdFilter.java"#,
                r#"package shop;

import org.slf4j.MDC;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class RequestIdFilter {
  void before(String id) {
    MDC.put("requestId", id);
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static RATE_LIMIT: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.post("/orders")
def create_order():
    return {}, 201
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def CreateOrder(self, request, context):
        return None


server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | state-changing endpoints without rate limiting: POST /orders
grpcsvc | state-changing endpoints without rate limiting: OrderService/CreateOrder
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"slowapi/main.py"#,
                r#"from fastapi import FastAPI, Request
from slowapi import Limiter
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
app = FastAPI()
app.state.limiter = limiter


@app.post("/orders")
@limiter.limit("10/minute")
async def create_order(request: Request):
    return {}
"#,
            ),
            (
                r#"slowapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"limiter/app.py"#,
                r#"from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)


@app.post("/orders")
def create_order():
    return {}, 201
"#,
            ),
            (
                r#"limiter/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"readonly/main.py"#,
                r#"from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
async def items():
    return []
"#,
            ),
            (
                r#"readonly/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def GetOrder(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"gin/main.go"#,
                r#"package main

import (
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.POST("/orders", createOrder)
	r.Run(":8080")
}

func createOrder(c *gin.Context) {}
"#,
            ),
            (
                r#"gin/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"gin | state-changing endpoints without rate limiting: POST /orders
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"tollbooth/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/didip/tollbooth/v7"
)

func main() {
	lmt := tollbooth.NewLimiter(5, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", createOrder)
	http.ListenAndServe(":8080", tollbooth.LimitHandler(lmt, mux))
}

func createOrder(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"tollbooth/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"rate/main.go"#,
                r#"package main

import (
	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

func main() {
	limiter := rate.NewLimiter(100, 200)
	r := gin.Default()
	r.Use(func(c *gin.Context) {
		if !limiter.Allow() {
			c.AbortWithStatus(429)
		}
	})
	r.POST("/orders", func(c *gin.Context) {})
	r.Run(":8080")
}
"#,
            ),
            (
                r#"rate/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"readonly/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	pb.RegisterCatalogServiceServer(srv, &catalog{})
	srv.Serve(lis)
}

type catalog struct {
	pb.UnimplementedCatalogServiceServer
}
"#,
            ),
            (
                r#"readonly/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.use(express.json());
app.post('/orders', (req, res) => res.status(201).json({}));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"nest/src/main.ts"#,
                r#"import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
"#,
            ),
            (
                r#"nest/src/orders.controller.ts"#,
                r#"import { Body, Controller, Post } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() body: unknown) {
    return body;
  }
}
"#,
            ),
            (
                r#"nest/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | state-changing endpoints without rate limiting: POST /orders
nest | state-changing endpoints without rate limiting: POST /orders
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');
const rateLimit = require('express-rate-limit');

const app = express();
app.use(rateLimit({ windowMs: 60000, max: 100 }));
app.post('/orders', (req, res) => res.status(201).json({}));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"nest/src/main.ts"#,
                r#"import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
"#,
            ),
            (
                r#"nest/src/orders.controller.ts"#,
                r#"import { Body, Controller, Post } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() body: unknown) {
    return body;
  }
}
"#,
            ),
            (
                r#"nest/src/app.module.ts"#,
                r#"import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

@Module({
  imports: [ThrottlerModule.forRoot([{ ttl: 60000, limit: 10 }])],
})
export class AppModule {}
"#,
            ),
            (
                r#"nest/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/OrderController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api")
public class OrderController {
  @PostMapping("/orders")
  public String create() {
    return "{}";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"spring | state-changing endpoints without rate limiting: POST /api/orders
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/OrderController.java"#,
                r#"package shop;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {
  private final Bucket bucket = Bucket.builder().addLimit(Bandwidth.simple(10, Duration.ofMinutes(1))).build();

  @PostMapping("/orders")
  public String create() {
    return bucket.tryConsume(1) ? "{}" : "slow down";
  }
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"readonly/src/main/java/shop/ItemController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ItemController {
  @GetMapping("/items")
  public String items() {
    return "[]";
  }
}
"#,
            ),
            (
                r#"readonly/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];

pub static AUTH: &[Case] = &[
    Case {
        files: &[
            (
                r#"flask/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["DELETE"])
def delete_user(user_id):
    return "", 204
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"fastapi/main.py"#,
                r#"from fastapi import FastAPI

app = FastAPI()


@app.put("/items/{item_id}")
async def update_item(item_id: int):
    return {}
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"django/urls.py"#,
                r#"from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items),
]
"#,
            ),
            (
                r#"django/views.py"#,
                r#"from django.http import JsonResponse
from django.views import View


class ItemView(View):
    def delete(self, request, pk):
        return JsonResponse({})
"#,
            ),
            (
                r#"django/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                "EXPECT",
                r#"flask | routes that change or delete data have no authentication in code: DELETE /users/<int:user_id>
fastapi | routes that change or delete data have no authentication in code: PUT /items/{item_id}
django | routes that change or delete data have no authentication in code: DELETE *
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"fastapi/main.py"#,
                r#"from fastapi import Depends, FastAPI

from .auth import get_current_user

app = FastAPI()


@app.put("/items/{item_id}")
async def update_item(item_id: int, user=Depends(get_current_user)):
    return {}
"#,
            ),
            (
                r#"fastapi/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"flask/app.py"#,
                r#"from flask import Flask
from flask_login import LoginManager, login_required

app = Flask(__name__)
login_manager = LoginManager(app)


@app.route("/users/<int:user_id>", methods=["DELETE"])
@login_required
def delete_user(user_id):
    return "", 204
"#,
            ),
            (
                r#"flask/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"django/urls.py"#,
                r#"from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items),
]
"#,
            ),
            (
                r#"django/views.py"#,
                r#"from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views import View


class ItemView(LoginRequiredMixin, View):
    def delete(self, request, pk):
        return JsonResponse({})
"#,
            ),
            (
                r#"django/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"shop/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.post("/orders")
def create_order():
    return {}, 201
"#,
            ),
            (
                r#"shop/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"login/app.py"#,
                r#"from flask import Flask

app = Flask(__name__)


@app.post("/login")
def login():
    return {}
"#,
            ),
            (
                r#"login/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
            (
                r#"grpcsvc/server.py"#,
                r#"import grpc
from concurrent import futures

import orders_pb2_grpc


class Orders(orders_pb2_grpc.OrderServiceServicer):
    def CreateOrder(self, request, context):
        return None


server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
orders_pb2_grpc.add_OrderServiceServicer_to_server(Orders(), server)
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM python:3.12-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"chi/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Route("/items", func(r chi.Router) {
		r.Delete("/{id}", deleteItem)
	})
	http.ListenAndServe(":8080", r)
}

func deleteItem(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"chi/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                "EXPECT",
                r#"chi | routes that change or delete data have no authentication in code: DELETE /items/{id}
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"jwt/main.go"#,
                r#"package main

import (
	"net/http"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/jwtauth/v5"
)

func main() {
	tokenAuth := jwtauth.New("HS256", key, nil)
	r := chi.NewRouter()
	r.Use(jwtauth.Verifier(tokenAuth))
	r.Delete("/items/{id}", deleteItem)
	http.ListenAndServe(":8080", r)
}

func deleteItem(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"jwt/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"header/main.go"#,
                r#"package main

import (
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("DELETE /items/{id}", requireToken(deleteItem))
	http.ListenAndServe(":8080", mux)
}

func requireToken(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

func deleteItem(w http.ResponseWriter, r *http.Request) {}
"#,
            ),
            (
                r#"header/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
            (
                r#"grpcsvc/main.go"#,
                r#"package main

import (
	"net"
	"google.golang.org/grpc"
	pb "example.com/shop/genproto"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	srv := grpc.NewServer()
	pb.RegisterCatalogServiceServer(srv, &catalog{})
	srv.Serve(lis)
}

type catalog struct {
	pb.UnimplementedCatalogServiceServer
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM golang:1.22
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"express/server.js"#,
                r#"const express = require('express');

const app = express();
app.delete('/items/:id', (req, res) => res.sendStatus(204));
app.listen(3000);
"#,
            ),
            (
                r#"express/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                "EXPECT",
                r#"express | routes that change or delete data have no authentication in code: DELETE /items/:id
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"passport/server.js"#,
                r#"const express = require('express');
const passport = require('passport');

const app = express();
app.delete('/items/:id', passport.authenticate('jwt', { session: false }), (req, res) => res.sendStatus(204));
app.listen(3000);
"#,
            ),
            (
                r#"passport/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"jwt/server.js"#,
                r#"const express = require('express');
const { expressjwt } = require('express-jwt');

const app = express();
app.use(expressjwt({ secret: process.env.JWT_SECRET, algorithms: ['HS256'] }));
app.delete('/items/:id', (req, res) => res.sendStatus(204));
app.listen(3000);
"#,
            ),
            (
                r#"jwt/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
            (
                r#"shop/server.js"#,
                r#"const express = require('express');

const app = express();
app.use(express.json());
app.post('/orders', (req, res) => res.status(201).json({}));
app.listen(3000);
"#,
            ),
            (
                r#"shop/Dockerfile"#,
                r#"FROM node:20-slim
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"jaxrs/src/main/java/shop/UserResource.java"#,
                r#"package shop;

import javax.ws.rs.DELETE;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;

@Path("/users")
public class UserResource {
  @DELETE
  @Path("/{id}")
  public void delete(@PathParam("id") long id) {}
}
"#,
            ),
            (
                r#"jaxrs/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"spring/src/main/java/shop/UserController.java"#,
                r#"package shop;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class UserController {
  @DeleteMapping("/users/{id}")
  public void delete(@PathVariable long id) {}
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                "EXPECT",
                r#"jaxrs | routes that change or delete data have no authentication in code: DELETE /users/{id}
"#,
            ),
        ],
    },
    Case {
        files: &[
            (
                r#"spring/src/main/java/shop/UserController.java"#,
                r#"package shop;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class UserController {
  @PreAuthorize("hasRole('ADMIN')")
  @DeleteMapping("/users/{id}")
  public void delete(@PathVariable long id) {}
}
"#,
            ),
            (
                r#"spring/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
            (
                r#"grpcsvc/src/main/java/shop/Server.java"#,
                r#"package shop;

import io.grpc.Server;
import io.grpc.ServerBuilder;

public final class Main {
  public static void main(String[] args) throws Exception {
    Server server = ServerBuilder.forPort(9555).addService(new CatalogImpl()).build().start();
    server.awaitTermination();
  }
}
"#,
            ),
            (
                r#"grpcsvc/Dockerfile"#,
                r#"FROM eclipse-temurin:21
"#,
            ),
        ],
    },
];
